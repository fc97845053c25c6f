"""docs/notebook.ipynb runs top to bottom in a real Jupyter kernel (nbclient, ipykernel) in a temporary folder."""

import shutil

import nbformat
from nbclient import NotebookClient

from .conftest import ROOT

PLOTLY = "application/vnd.plotly.v1+json"


def test_the_notebook_runs_top_to_bottom(tmp_path):
    shutil.copy(ROOT / "docs" / "notebook.ipynb", tmp_path)
    nb = nbformat.read(tmp_path / "notebook.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    figures = [o.data[PLOTLY] for o in outputs if PLOTLY in o.get("data", {})]
    assert len(figures) >= 5 and any(f.get("frames") for f in figures)        # the figures, one an animation
    assert (tmp_path / "walk.html").stat().st_size > 1_000_000
    assert (tmp_path / "conv1.gif").read_bytes().startswith(b"GIF89a")
    assert any("image/gif" in o.get("data", {}) for o in outputs)                 # shown in the notebook too
