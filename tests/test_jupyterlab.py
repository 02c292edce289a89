"""The compare notebook in a real JupyterLab: run all cells, a plotly figure appears.

JupyterLab runs from the venv on 127.0.0.1 with a random token, on a copy of the notebook
in a temporary folder (so that autosave cannot write outputs into notebooks/), and is
always stopped, with its kernels, at the end.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import BROWSER_ARGS, CHROMIUM, need_browser

from helpers.core.paths import NOTEBOOKS_DIR

pytestmark = pytest.mark.integration

NOTEBOOK = "04_compare_cases.ipynb"
FIGURE_TIMEOUT_MS = 90_000
KERNEL_TIMEOUT_MS = 90_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_ready(url: str, server: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"jupyter lab exited with {server.returncode}:\n"
                        f"{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"jupyter lab did not answer within {timeout} s:\n"
                f"{log.read_text(errors='replace')[-3000:]}")


def _stop(server: subprocess.Popen) -> None:
    """Stop the server we started and its kernels (its own process group)."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(server.pid, signal.SIGKILL)  # kernels left behind, if any
    except ProcessLookupError:
        pass
    server.wait(timeout=15)


def run_all_cells(page, base: str, token: str, notebook: str, timeout_ms: int) -> None:
    """Open `notebook` in JupyterLab at `base`, wait for its kernel, then Run → Run All Cells.
    Only this server is reachable; anything else is refused at once."""
    page.route("**/*", lambda route: route.continue_()
               if route.request.url.startswith((base, "data:", "blob:")) else route.abort())
    page.goto(f"{base}/lab/tree/notebooks/{notebook}?token={token}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
    # Wait for the kernel to be idle (running earlier asks which kernel to start).
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-StatusBar-Widget')]"
        ".some(w => /\\| Idle/.test(w.innerText))", timeout=timeout_ms)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    page.wait_for_timeout(1000)
    if page.locator(".jp-Dialog .jp-mod-accept").count():
        page.locator(".jp-Dialog .jp-mod-accept").first.click()


def test_compare_notebook_runs_in_jupyterlab(tmp_path):
    need_browser()
    from playwright.sync_api import sync_playwright

    original = NOTEBOOKS_DIR / NOTEBOOK
    original_digest = hashlib.sha256(original.read_bytes()).hexdigest()
    root = tmp_path / "lab"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy2(original, root / "notebooks" / NOTEBOOK)
    port, token = _free_port(), secrets.token_hex(16)
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}",
               f"--ServerApp.token={token}", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.root_dir={root}", "--ServerApp.open_browser=False",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
               f"--LabApp.user_settings_dir={tmp_path / 'settings'}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    log = tmp_path / "jupyterlab.log"
    with open(log, "wb") as stream:
        server = subprocess.Popen(command, stdout=stream, stderr=subprocess.STDOUT, env=env,
                                  cwd=root, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_ready(f"{base}/api/status?token={token}", server, log)
        with urllib.request.urlopen(f"{base}/api/kernelspecs?token={token}") as response:
            specs = json.load(response)["kernelspecs"]
        # "python" is replaced by jupyter_client with the server's own interpreter: this venv's.
        argv0 = specs["python3"]["spec"]["argv"][0]
        own = {"python", f"python{sys.version_info[0]}", "python%d.%d" % sys.version_info[:2]}
        assert argv0 in own or Path(argv0).parent == Path(sys.executable).parent, \
            (f"the python3 kernel runs {argv0}, not this venv's python: run "
             f"{sys.executable} -m ipykernel install --sys-prefix --name python3")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                 args=BROWSER_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                run_all_cells(page, base, token, NOTEBOOK, KERNEL_TIMEOUT_MS)
                try:
                    page.wait_for_selector(".js-plotly-plot", timeout=FIGURE_TIMEOUT_MS)
                except Exception:
                    page.screenshot(path=str(tmp_path / "jupyterlab-failed.png"))
                    raise
                page.wait_for_function(
                    "() => [...document.querySelectorAll('.js-plotly-plot')]"
                    ".some(g => Array.isArray(g._fullData) && g._fullData.length > 0)",
                    timeout=30_000)
                errors = page.locator(".jp-OutputArea-output[data-mime-type="
                                      "'application/vnd.jupyter.stderr']")
                assert page.locator(".jp-RenderedText[data-mime-type="
                                    "'application/vnd.jupyter.error']").count() == 0
                assert errors.count() == 0 or "Error" not in errors.first.inner_text()
                page.screenshot(path=str(tmp_path / "jupyterlab.png"))
            finally:
                browser.close()
    finally:
        _stop(server)
    assert hashlib.sha256(original.read_bytes()).hexdigest() == original_digest, \
        "the committed notebook is left untouched"
