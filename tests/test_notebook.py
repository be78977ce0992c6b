"""notebooks/explore.ipynb runs top to bottom with this interpreter, so it never rots."""

import json
import sys

import pytest
from conftest import ROOT


def test_explore_notebook_executes(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("matplotlib")
    from jupyter_client.kernelspec import KernelSpecManager

    # A kernel spec that runs this very interpreter (the venv), whatever is registered globally.
    spec_dir = tmp_path / "kernels" / "aligner-test"
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "aligner test",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel's inline backend draws PNGs
    nb = nbformat.read(ROOT / "notebooks" / "explore.ipynb", as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "commit it clean"
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="aligner-test",
        resources={"metadata": {"path": str(tmp_path)}},
    )  # fmt: skip
    client.kernel_spec_manager = KernelSpecManager()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpora").symlink_to(ROOT / "corpora")
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the heatmap was drawn
    assert any("<table" in o.get("data", {}).get("text/html", "") for o in outputs)
    assert (tmp_path / "out-notebook" / "ntrex.tmx").exists()
