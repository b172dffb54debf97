"""The notebook runs top to bottom, so it cannot rot."""
import nbformat
from nbclient import NotebookClient

from conftest import ROOT


def test_explore_events_notebook_executes():
    path = ROOT / "notebooks" / "explore_events.ipynb"
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = " ".join(str(o.get("data", {}).get("text/plain", "")) + str(o.get("text", "")) for o in outputs)
    assert "missile_test" in text and "North Korea" in text
    assert any("image/png" in o.get("data", {}) for o in outputs), "the timeline is drawn"
