"""The notebook runs top to bottom, so it cannot rot: a cell that errors fails the test."""
import re

import nbformat
from nbclient import NotebookClient

from conftest import ROOT


def test_explore_events_notebook_executes(monkeypatch):
    # The kernel imports this checkout's pipeline, whatever checkout the environment was installed from
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    path = ROOT / "notebooks" / "explore_events.ipynb"
    notebook = nbformat.read(path, as_version=4)
    # nbclient raises CellExecutionError on the first cell that errors
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = " ".join(str(o.get("data", {}).get("text/plain", "")) + str(o.get("text", "")) for o in outputs)
    assert "missile_test" in text and "North Korea" in text
    charts = [o["data"]["image/png"] for o in outputs if "image/png" in o.get("data", {})]
    assert len(charts) == 4 and all(len(chart) > 10_000 for chart in charts)  # timeline, weekly counts, network, map
    assert re.search(r"\b\d+ of \d+ events", text)  # the filter cell ran and counted
