"""Annotating in JupyterLab: notebook 01 on a stored source of a copy of the project, an
unaccounted date expression picked, the form filled, the event added through Chromium.

The copy (code, synthetic raw data, its built dataset, the notebook) lives in a temporary
folder, so the kernel's helpers read and write there only. Afterwards the YAML holds the
event, ``make check``'s command passes on the copy, and the expression is no longer
outlined in the live view.
"""
from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import test_jupyterlab as lab
import yaml
from conftest import BROWSER_ARGS, CHROMIUM, MINI_RAW, copy_raw, need_browser, without_event

import helpers
from helpers.core.paths import NOTEBOOKS_DIR
from helpers.pipeline import build

pytestmark = pytest.mark.integration

NOTEBOOK = "01_annotate_source.ipynb"
SOURCE = "test-article"
EVENT_ID = "test-article-disclosure-2"
TIMEOUT_MS = 90_000


def _project(tmp_path: Path) -> Path:
    """A copy of the project: its code, the synthetic raw data (built into data/processed,
    then one event taken out by hand) and notebook 01 set on the stored test article."""
    project = tmp_path / "project"
    shutil.copytree(Path(helpers.__file__).parent, project / "src" / "helpers",
                    ignore=shutil.ignore_patterns("__pycache__"))
    raw = copy_raw(MINI_RAW, project)
    build(raw, project / "data" / "processed", project)
    without_event(raw)
    nb = nbformat.read(NOTEBOOKS_DIR / NOTEBOOK, as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    params.source = params.source.replace('source_id = "linformaticien-2022-les-bluets"',
                                          f'source_id = "{SOURCE}"')
    assert SOURCE in params.source
    (project / "notebooks").mkdir()
    nbformat.write(nb, project / "notebooks" / NOTEBOOK)
    return project


def _check(project: Path) -> subprocess.CompletedProcess:
    """`make check`'s command (python -m helpers build --check) on the copy."""
    env = dict(os.environ, PYTHONPATH=str(project / "src"))
    return subprocess.run([sys.executable, "-m", "helpers", "build", "--check"], cwd=project,
                          env=env, capture_output=True, text=True, timeout=300)


def test_annotate_an_expression_in_jupyterlab(tmp_path):
    need_browser()
    from playwright.sync_api import sync_playwright

    project = _project(tmp_path)
    assert _check(project).returncode == 1, "the expression is unaccounted for before"
    yaml_path = project / "data" / "raw" / "annotations" / f"{SOURCE}.yaml"
    port, token = lab._free_port(), secrets.token_hex(16)
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}",
               f"--ServerApp.token={token}", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.root_dir={project}", "--ServerApp.open_browser=False",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
               f"--LabApp.user_settings_dir={tmp_path / 'settings'}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               PYTHONPATH=str(project / "src"))
    env.pop("HRT_PROCESSED_DIR", None)
    log = tmp_path / "jupyterlab.log"
    with open(log, "wb") as stream:
        server = subprocess.Popen(command, stdout=stream, stderr=subprocess.STDOUT, env=env,
                                  cwd=project, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        lab._wait_ready(f"{base}/api/status?token={token}", server, log)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                 args=BROWSER_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            try:
                lab.run_all_cells(page, base, token, NOTEBOOK, TIMEOUT_MS)
                page.wait_for_selector(".hrt-form .hrt-expression", timeout=TIMEOUT_MS)

                # The live view outlines the one expression nobody accounted for.
                outlined = page.locator(".hrt-live-text .hrt-text .hrt-unannotated")
                assert outlined.count() == 1 and outlined.first.inner_text() == "le 6 mars"

                row = page.locator(".hrt-form .hrt-expression", has_text="le 6 mars")
                row.locator(".hrt-pick").click()
                page.wait_for_function(
                    "() => document.querySelector('.hrt-date-text input').value === 'le 6 mars'",
                    timeout=30_000)
                quote = page.locator(".hrt-quote textarea").input_value()
                assert "le 6 mars" in quote
                assert page.locator(".hrt-case select").input_value().startswith("testville-2023")

                page.locator(".hrt-type select").select_option("disclosure")
                # The id follows the naming convention; test-article-disclosure is taken:
                # it is published in data/processed, and ids are never reused.
                page.wait_for_function(
                    f"() => document.querySelector('.hrt-id input').value === '{EVENT_ID}'",
                    timeout=30_000)
                assert page.locator(".hrt-event-key input").input_value() == "disclosure"
                page.locator(".hrt-status select").select_option("stated_by_victim")
                page.locator(".hrt-summary textarea").fill("The hospital discloses the attack.")
                page.locator(".hrt-summary textarea").press("Tab")
                page.wait_for_timeout(500)  # the kernel has the last keystrokes
                page.locator("button.hrt-add").click()
                page.wait_for_selector(".hrt-message-ok", timeout=60_000)
                message = page.locator(".hrt-messages").inner_text()
                assert f"added {EVENT_ID}" in message, message

                page.wait_for_function(
                    "() => document.querySelectorAll('.hrt-live-text .hrt-text "
                    ".hrt-unannotated').length === 0", timeout=30_000)
                assert "le 6 mars" in page.locator(".hrt-live-events").inner_text()
                assert "No validation problem" in page.locator(".hrt-live-problems").inner_text()
                errors = page.locator(".jp-RenderedText[data-mime-type="
                                      "'application/vnd.jupyter.error']")
                assert errors.count() == 0
                page.screenshot(path=str(tmp_path / "annotated.png"), full_page=True)
            except Exception:
                page.screenshot(path=str(tmp_path / "annotate-failed.png"), full_page=True)
                print(f"screenshot: {tmp_path / 'annotate-failed.png'}; log: {log}")
                raise
            finally:
                browser.close()
    finally:
        lab._stop(server)

    events = yaml.safe_load(yaml_path.read_text(encoding="utf-8"))["events"]
    added = next(e for e in events if e["id"] == EVENT_ID)
    assert added["date_text"] == "le 6 mars" and added["type"] == "disclosure"
    assert added["status"] == "stated_by_victim" and "le 6 mars" in added["quote"]
    checked = _check(project)
    assert checked.returncode == 0, checked.stderr
