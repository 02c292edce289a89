"""The reports command: every report rendered offline with an index; atomic on failure."""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from helpers.core.frames import load_dataset
from helpers.core.paths import NOTEBOOKS_DIR, PROJECT_ROOT
from helpers.publish import offline, reports

pytestmark = pytest.mark.integration

COMMAND_TIMEOUT = 1800  # seconds: the whole set of reports on 2 cores takes a few minutes


def run_command(*args: str, timeout: int = COMMAND_TIMEOUT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers", "reports", *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=timeout)


def shared_reports(tmp_path_factory) -> tuple[Path, dict]:
    """Render every report once per test session, shared by the xdist workers.

    Returns the output folder and the command's result (returncode, stdout, stderr).
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the folder common to every worker of this session
    out = base / "hrt-shared-reports"
    result_file = base / "hrt-shared-reports.json"
    with open(base / "hrt-shared-reports.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not result_file.exists():
            done = run_command("--out", str(out))
            result_file.write_text(json.dumps({"returncode": done.returncode,
                                               "stdout": done.stdout,
                                               "stderr": done.stderr}))
    return out, json.loads(result_file.read_text())


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    out, result = shared_reports(tmp_path_factory)
    assert result["returncode"] == 0, f"reports command failed:\n{result['stderr'][-3000:]}"
    return out, result


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.glob("*.html"))}


# --- the real dataset ---------------------------------------------------------------------

def test_every_report_and_the_index_exist(rendered):
    out, result = rendered
    planned = reports.plan(load_dataset())
    names = {r.html_name for r in planned}
    assert names <= {p.name for p in out.glob("*.html")}
    data = load_dataset()
    assert {f"source-{s}.html" for s in data.source_ids} <= names
    assert {f"case-{c}.html" for c in data.case_ids} <= names
    assert {"overview.html", "build.html", "compare-all.html",
            "compare-les-bluets-2022--cannes-2024.html"} <= names
    index = (out / "index.html").read_text(encoding="utf-8")
    for report in planned:
        assert f'href="{report.html_name}"' in index
    assert f"Version {data.version}" in index and 'href="codebook.html"' in index
    assert (out / "codebook.html").is_file()
    assert not list(out.glob(".staging-*")), "the staging folder is removed"
    assert not (out / "failed").exists()


def test_progress_is_one_line_per_report_start_and_finish(rendered):
    _, result = rendered
    lines = result["stdout"].splitlines()
    total = len(reports.plan(load_dataset()))
    assert sum(" started " in line for line in lines) == total
    finished = [line for line in lines if " finished " in line]
    assert len(finished) == total
    assert all(re.search(r"in \d+\.\d s$", line) for line in finished)


def test_reports_are_offline_and_hide_code(rendered):
    out, _ = rendered
    for page in sorted(out.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert offline.remote_references(text) == [], page.name
        assert "require.min.js" not in text and "x-mathjax-config" not in text, page.name
        assert "hl-ipython3" not in text, f"{page.name}: code is hidden"
    case = (out / "case-cannes-2024.html").read_text(encoding="utf-8")
    assert case.count("window.Plotly = Plotly") == 1, "plotly.js embedded once, inline"


def test_reports_title_and_navigation(rendered):
    out, _ = rendered
    text = (out / "case-les-bluets-2022.html").read_text(encoding="utf-8")
    assert "<title>Les Bluets maternity, Paris" in text
    assert '<a href="index.html">Index</a>' in text
    assert re.search(r"case_id=(&#x27;|')les-bluets-2022(&#x27;|')", text)
    source = (out / "source-nice-matin-2024-cannes.html").read_text(encoding="utf-8")
    assert 'href="case-cannes-2024.html"' in source, "a source page links to its case"
    case = (out / "case-cannes-2024.html").read_text(encoding="utf-8")
    assert 'href="source-nice-matin-2024-cannes.html"' in case, "a case page to its sources"
    assert 'href="compare-les-bluets-2022--cannes-2024.html"' in case


# --- failures -------------------------------------------------------------------------------

SUBSET = ["--only", "overview", "--only", "case-cannes-2024"]


def test_a_broken_notebook_changes_nothing_and_is_kept(tmp_path):
    out = tmp_path / "reports"
    first = run_command("--out", str(out), *SUBSET)
    assert first.returncode == 0, first.stderr
    before = digests(out)
    index_before = (out / "index.html").read_bytes()
    assert set(before) == {"overview.html", "case-cannes-2024.html", "index.html",
                           "codebook.html"}

    broken = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS_DIR, broken)
    nb = nbformat.read(broken / "03_case.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell('raise RuntimeError("boom: broken on purpose")'))
    nbformat.write(nb, broken / "03_case.ipynb")

    second = run_command("--out", str(out), "--notebooks", str(broken), *SUBSET)
    assert second.returncode != 0
    assert "Traceback" not in second.stderr
    assert "case-cannes-2024" in second.stderr and "case_id='cannes-2024'" in second.stderr
    assert "RuntimeError: boom: broken on purpose" in second.stderr
    assert digests(out) == before, "earlier reports stay byte-identical"
    assert (out / "index.html").read_bytes() == index_before
    kept = out / "failed" / "case-cannes-2024.ipynb"
    assert kept.is_file()
    assert "boom: broken on purpose" in kept.read_text(encoding="utf-8")
    assert not (out / "failed" / "overview.ipynb").exists()
    assert not list(out.glob(".staging-*"))


def test_an_unknown_parameter_fails_with_the_valid_ids(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    (out / "keep.html").write_text("earlier", encoding="utf-8")
    bad = reports.Report("case-nope", "03_case.ipynb", {"case_id": "nope"}, "Case nope", "Cases")
    lines = []
    outcomes = reports.render([bad], out, version="test", log=lines.append)
    assert [o.ok for o in outcomes] == [False]
    assert "valid case ids" in outcomes[0].error
    assert outcomes[0].error.startswith("UnknownIdError: unknown case id 'nope'")
    assert (out / "failed" / "case-nope.ipynb").is_file()
    assert not (out / "case-nope.html").exists() and not (out / "index.html").exists()
    assert (out / "keep.html").read_text(encoding="utf-8") == "earlier"
    assert any("FAILED" in line and "case-nope" in line for line in lines)


def test_missing_notebook_and_unknown_filter_are_clear_errors(tmp_path):
    done = run_command("--out", str(tmp_path / "r"), "--only", "no-report-has-this-name",
                       timeout=120)
    assert done.returncode != 0 and "no report name contains" in done.stderr
    done = run_command("--out", str(tmp_path / "r"), "--notebooks", str(tmp_path), *SUBSET,
                       timeout=120)
    assert done.returncode != 0 and "not found" in done.stderr
    assert "Traceback" not in done.stderr


# --- pieces ---------------------------------------------------------------------------------

def test_index_and_codebook_escape_what_they_show():
    import dataclasses

    from helpers.publish.index_page import codebook_html, index_html

    evil = "<script>alert(1)</script>"
    data = load_dataset()
    sources = data.sources.copy()
    sources.loc[0, "title"] = evil
    sources.loc[1, "outlet"] = evil
    page = index_html(dataclasses.replace(data, sources=sources, version=evil), set(),
                      "../data/processed", evil)
    assert evil not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    book = codebook_html(f"# Codebook\n\n{evil} | `x`", evil)
    assert evil not in book and "&lt;script&gt;" in book


def test_make_offline_strips_remote_tags_and_names_figures():
    page = ('<script src="https://cdn.example/x.js"></script><link rel="stylesheet" '
            'href="//cdn.example/x.css"><img src="http://example.org/a.png">'
            '<a href="https://example.org">a link stays</a><script>var x = 1;</script>'
            '<div id="0b6f6a59-1c1e-4b5e-9d7e-4b1f7c1d2a3b" class="plotly-graph-div"></div>'
            '<script>Plotly.newPlot("0b6f6a59-1c1e-4b5e-9d7e-4b1f7c1d2a3b")</script>')
    clean = offline.make_offline(page)
    assert offline.remote_references(page) and not offline.remote_references(clean)
    assert "a link stays" in clean and "var x = 1;" in clean
    assert 'id="hrt-figure-1"' in clean and 'Plotly.newPlot("hrt-figure-1")' in clean


def test_plan_covers_every_source_and_case():
    data = load_dataset()
    planned = reports.plan(data)
    assert len({r.name for r in planned}) == len(planned)
    assert len(planned) == len(data.source_ids) + len(data.case_ids) + 4
    pair = next(r for r in planned if r.name == "compare-les-bluets-2022--cannes-2024")
    assert pair.parameters["case_ids"] == ["les-bluets-2022", "cannes-2024"]
