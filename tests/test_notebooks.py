"""The notebooks: committed clean, run with their defaults and with other parameters under
papermill, and fail at once, with the list of valid ids, on an unknown id."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import papermill
import pytest
from papermill.exceptions import PapermillExecutionError

from helpers.core.errors import UnknownIdError
from helpers.core.frames import load_dataset
from helpers.core.paths import NOTEBOOKS_DIR, PROCESSED_DIR
from helpers.present import notebook_params

pytestmark = pytest.mark.integration

NOTEBOOKS = ["01_annotate_source.ipynb", "02_build_dataset.ipynb", "03_case.ipynb",
             "04_compare_cases.ipynb", "05_dataset_overview.ipynb"]
KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL"]


def run(name: str, out_dir: Path, **parameters) -> nbformat.NotebookNode:
    output = out_dir / name
    papermill.execute_notebook(str(NOTEBOOKS_DIR / name), str(output), parameters=parameters,
                               cwd=str(NOTEBOOKS_DIR), progress_bar=False, log_output=False,
                               extra_arguments=KERNEL_ARGS, shutdown_kernel="immediate")
    return nbformat.read(output, as_version=4)


def outputs_text(nb: nbformat.NotebookNode) -> str:
    """Every output of the executed notebook, as one string (HTML, text, errors)."""
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                raise AssertionError(f"{output['ename']}: {output['evalue']}")
            if "text" in output:
                parts.append(output["text"])
            for value in output.get("data", {}).values():
                parts.append(value if isinstance(value, str) else json.dumps(value))
    return "\n".join(parts)


# --- committed form -----------------------------------------------------------------------

@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_committed_clean_with_a_parameters_cell(name):
    nb = nbformat.read(NOTEBOOKS_DIR / name, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), \
        "notebooks are committed without outputs or execution counts"
    tagged = [i for i, c in enumerate(code) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    first = code[tagged[0] + 1].source
    assert "notebook_params.setup(" in first, "the first cell after the parameters sets up"
    assert name.startswith("02") or "notebook_params.check_" in first, \
        "the first cell after the parameters checks them"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.strip()
    params = code[tagged[0]].source
    assert "link_reports = False" in params, "pages link to each other only as reports"


# --- defaults and other parameters ------------------------------------------------------

def test_01_annotate_source(tmp_path):
    nb = run("01_annotate_source.ipynb", tmp_path)
    text = outputs_text(nb)
    assert 'class="hrt-q"' in text and "linformaticien-2022-les-bluets" in text
    assert "validation problem" in text or "what to do" in text


def test_01_with_the_cannes_source(tmp_path):
    nb = run("01_annotate_source.ipynb", tmp_path, source_id="nice-matin-2024-cannes")
    text = outputs_text(nb)
    assert 'class="hrt-q"' in text and "Nice-Matin" in text


def test_01_with_a_citation_only_source(tmp_path):
    data = load_dataset()
    cited = data.sources[~data.sources.has_text.astype(bool)].source_id.iloc[0]
    text = outputs_text(run("01_annotate_source.ipynb", tmp_path, source_id=cited))
    assert "citation only" in text and 'class="hrt-q"' not in text


def test_02_build_compares_without_writing(tmp_path):
    before = {p.name: p.read_bytes() for p in PROCESSED_DIR.iterdir() if p.is_file()}
    text = outputs_text(run("02_build_dataset.ipynb", tmp_path))
    assert "data/processed" in text
    assert ("up to date" in text or "NOT up to date" in text or "The build failed" in text)
    after = {p.name: p.read_bytes() for p in PROCESSED_DIR.iterdir() if p.is_file()}
    assert before == after, "the build notebook writes nothing by default"


def test_02_build_writes_into_another_folder(tmp_path):
    target = tmp_path / "processed"
    text = outputs_text(run("02_build_dataset.ipynb", tmp_path, write=True,
                            processed_dir=str(target)))
    if "The build failed" in text:
        pytest.skip("data/raw currently has problems: nothing to write")
    assert "rebuilt and written" in text
    assert (target / "events.csv").is_file() and (target / "datapackage.json").is_file()


def test_03_case_default(tmp_path):
    text = outputs_text(run("03_case.ipynb", tmp_path))
    assert "plotly-graph-div" in text and "Cannes hospital" in text
    assert "attack → claim" in text and "13–14 days (best 13)" in text  # the delay table


def test_03_case_les_bluets(tmp_path):
    victim = load_dataset().cases.set_index("case_id").loc["les-bluets-2022", "victim"]
    text = outputs_text(run("03_case.ipynb", tmp_path, case_id="les-bluets-2022"))
    assert "plotly-graph-div" in text
    assert "Les Bluets maternity, Paris" in text and victim.split()[0] in text


def test_04_compare_default(tmp_path):
    text = outputs_text(run("04_compare_cases.ipynb", tmp_path))
    # The comparison, the delays, the calendar.
    assert text.count('class="plotly-graph-div"') == 3
    assert "days since the attack" in text
    data = load_dataset()
    for name in data.cases.short_name:
        assert name in text


def test_04_compare_one_case_aligned_on_the_claim(tmp_path):
    text = outputs_text(run("04_compare_cases.ipynb", tmp_path, case_ids=["les-bluets-2022"],
                            align_on="claim", title="Only Les Bluets"))
    assert text.count('class="plotly-graph-div"') == 3
    assert "days since the claim" in text and "Only Les Bluets" in text
    assert "1 case compared" in text or "Only Les Bluets" in text


def test_05_overview(tmp_path):
    text = outputs_text(run("05_dataset_overview.ipynb", tmp_path))
    assert "Precision of the date" in text and "Cases by year and group" not in text
    assert "citation only" in text and "Back to normal" in text


def test_05_overview_without_the_source_list(tmp_path):
    text = outputs_text(run("05_dataset_overview.ipynb", tmp_path, show_sources=False))
    assert "Source list hidden" in text


# --- unknown ids --------------------------------------------------------------------------

def _failing_cell(tmp_path: Path, name: str, err: PapermillExecutionError) -> str:
    nb = nbformat.read(tmp_path / name, as_version=4)
    return next(c.source for c in nb.cells
                if c.cell_type == "code" and c.execution_count == err.exec_count)


@pytest.mark.parametrize("name, parameters, expected", [
    ("03_case.ipynb", {"case_id": "no-such-case"}, "valid case ids: "),
    ("04_compare_cases.ipynb", {"case_ids": ["cannes-2024", "nope"]}, "valid case ids"),
    ("01_annotate_source.ipynb", {"source_id": "nope"}, "valid source ids"),
])
def test_unknown_id_fails_first_with_the_valid_ids(tmp_path, name, parameters, expected):
    with pytest.raises(PapermillExecutionError) as info:
        run(name, tmp_path, **parameters)
    err = info.value
    assert err.ename == "UnknownIdError"
    assert expected in str(err)
    assert err.traceback == [f"UnknownIdError: {err.evalue}"], "message only, no traceback"
    source = _failing_cell(tmp_path, name, err)
    assert "notebook_params.check_" in source
    nb = nbformat.read(tmp_path / name, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    parameters_at = next(i for i, c in enumerate(code)
                         if "parameters" in c.metadata.get("tags", []))
    injected = 1 if "injected-parameters" in code[parameters_at + 1].metadata.get("tags", []) else 0
    assert code[parameters_at + 1 + injected].source == source, \
        "the first code cell after the parameters fails"


# --- the parameter checks themselves (no kernel) --------------------------------------------

def test_parameter_checks():
    data = load_dataset()
    assert notebook_params.check_case_ids(None, data) == data.case_ids
    assert notebook_params.check_case_ids("cannes-2024", data) == ["cannes-2024"]
    assert notebook_params.check_case_ids(["cannes-2024", "cannes-2024"], data) == ["cannes-2024"]
    for bad in ([], ["x"], 3):
        with pytest.raises(UnknownIdError, match="valid case ids"):
            notebook_params.check_case_ids(bad, data)
    with pytest.raises(UnknownIdError, match="valid case ids"):
        notebook_params.check_case(None, data)
    with pytest.raises(UnknownIdError, match="valid alignment stages: intrusion, attack"):
        notebook_params.check_align_on("the attack")
    assert notebook_params.check_align_on("deadline") == "deadline"
    with pytest.raises(ValueError):
        notebook_params.check_bool("write", "yes")


def test_setup_uses_the_notebook_renderer():
    import plotly.io as pio

    notebook_params.setup(load=False)
    assert pio.renderers.default == "plotly_mimetype+hrt_page"
    import plotly.graph_objects as go

    bundle = pio.renderers._build_mime_bundle(go.Figure().to_dict(),
                                              renderers_string=pio.renderers.default)
    # JupyterLab draws the mimetype; the reports' page gets a div without plotly.js (5 MB),
    # which helpers.publish.offline puts in the page once.
    assert set(bundle) == {"application/vnd.plotly.v1+json", "text/html"}
    assert "plotly-graph-div" in bundle["text/html"] and len(bundle["text/html"]) < 100_000
