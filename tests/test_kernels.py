"""Warm kernels: many notebooks in one kernel, each as papermill runs it in a fresh one."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from papermill.exceptions import PapermillExecutionError

from helpers.publish import reports
from helpers.publish.kernels import WarmKernel

pytestmark = pytest.mark.integration


def notebook(path: Path, *cells: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    parameters = nbformat.v4.new_code_cell("value = 0")
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [parameters] + [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def kernel():
    warm = WarmKernel(None, reports.KERNEL_ARGUMENTS)
    yield warm
    warm.shutdown()


def outputs(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return json.dumps([o for c in nb.cells for o in c.get("outputs", [])])


def test_no_variable_reaches_the_next_notebook(kernel, tmp_path):
    first = notebook(tmp_path / "first.ipynb", "leak = value * 2", "print('first', leak)")
    second = notebook(tmp_path / "second.ipynb", "print('leaked' if 'leak' in dir() else 'clean', value)")
    kernel.execute(first, tmp_path / "out1.ipynb", {"value": 21}, tmp_path, "first")
    kernel.execute(second, tmp_path / "out2.ipynb", {"value": 5}, tmp_path, "second")
    assert "first 42" in outputs(tmp_path / "out1.ipynb")
    assert "clean 5" in outputs(tmp_path / "out2.ipynb")


def test_papermill_semantics_are_kept(kernel, tmp_path):
    nb_path = notebook(tmp_path / "params.ipynb", "print(type(value).__name__, value)")
    kernel.execute(nb_path, tmp_path / "out.ipynb", {"value": ["a", "b"]}, tmp_path, "params")
    nb = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    assert nb.metadata.papermill["parameters"] == {"value": ["a", "b"]}
    assert "injected-parameters" in nb.cells[1].metadata.tags
    assert all("papermill" in c.metadata for c in nb.cells)
    assert "list ['a', 'b']" in outputs(tmp_path / "out.ipynb")


def test_a_failing_notebook_leaves_the_kernel_usable(kernel, tmp_path):
    bad = notebook(tmp_path / "bad.ipynb", "broken = True", "raise ValueError('on purpose')")
    good = notebook(tmp_path / "good.ipynb", "print('broken' in dir(), value)")
    with pytest.raises(PapermillExecutionError, match="on purpose"):
        kernel.execute(bad, tmp_path / "out-bad.ipynb", {"value": 1}, tmp_path, "bad")
    kernel.execute(good, tmp_path / "out-good.ipynb", {"value": 2}, tmp_path, "good")
    assert "False 2" in outputs(tmp_path / "out-good.ipynb")


def test_a_dead_kernel_is_replaced(kernel, tmp_path):
    starts = kernel.starts
    dying = notebook(tmp_path / "dying.ipynb", "import os\nos._exit(1)")
    with pytest.raises(Exception):
        kernel.execute(dying, tmp_path / "out-dying.ipynb", {}, tmp_path, "dying")
    after = notebook(tmp_path / "after.ipynb", "print('alive', value)")
    kernel.execute(after, tmp_path / "out-after.ipynb", {"value": 3}, tmp_path, "after")
    assert "alive 3" in outputs(tmp_path / "out-after.ipynb")
    assert kernel.starts == starts + 1


def test_the_kernel_talks_over_ipc_not_tcp(kernel, tmp_path):
    kernel.execute(notebook(tmp_path / "n.ipynb", "pass"), tmp_path / "o.ipynb", {}, tmp_path,
                   "n")
    info = json.loads(Path(kernel.km.connection_file).read_text())
    assert info["transport"] == "ipc"


def test_a_bad_report_does_not_spoil_the_next_one_in_the_same_worker(tmp_path):
    bad = reports.Report("case-nope", "03_case.ipynb", {"case_id": "nope"}, "Case nope", "Cases")
    good = reports.Report("case-cannes-2024", "03_case.ipynb", {"case_id": "cannes-2024"},
                          "Cannes", "Cases")
    outcomes = reports.render([bad, good], tmp_path / "out", version="test", jobs=1,
                              log=lambda line: None)
    assert [o.ok for o in outcomes] == [False, True]


def test_a_kernel_that_cannot_start_is_named_with_the_report(tmp_path, monkeypatch):
    from helpers.publish import kernels
    from helpers.publish.kernels import KernelStartError

    monkeypatch.setattr(kernels, "START_ATTEMPTS", 2)
    monkeypatch.setattr(kernels.time, "sleep", lambda seconds: None)
    warm = WarmKernel("no-such-kernel")
    with pytest.raises(KernelStartError, match="for report case-x .* did not start"):
        warm.execute(notebook(tmp_path / "n.ipynb", "pass"), tmp_path / "o.ipynb", {},
                     tmp_path, "report case-x (03_case.ipynb with case_id='x')")
    outcome = reports.run_one(reports.Report("case-x", "03_case.ipynb", {"case_id": "x"}, "X"),
                              str(tmp_path), str(tmp_path), "test", kernel_name="no-such-kernel")
    assert not outcome.ok and "KernelStartError" in outcome.error and "case-x" in outcome.error
