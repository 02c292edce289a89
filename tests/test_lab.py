"""``make lab`` starts where the set-up runs (as root too), prints the URL to open, and the
server behind it answers."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from helpers.core.paths import PROJECT_ROOT
from helpers.present import lab

URL = re.compile(r"(http://127\.0\.0\.1:\d+)/lab\?token=([0-9a-f]+)")


def test_the_command_allows_root_only_as_root(monkeypatch):
    monkeypatch.setattr(lab, "is_root", lambda: True)
    assert "--allow-root" in lab.command(8888, "t")
    monkeypatch.setattr(lab, "is_root", lambda: False)
    argv = lab.command(8888, "t", extra=["--debug"])
    assert "--allow-root" not in argv and argv[-1] == "--debug"
    assert f"--ServerApp.root_dir={PROJECT_ROOT}" in argv and "--no-browser" in argv


def test_free_port_skips_a_busy_one():
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert lab.free_port(port) != port


def _make_lab() -> list[str]:
    """`make lab`, as the README says. When the tests run from a venv other than the
    project's .venv (a worktree sharing one), the same target with that venv, which is
    already set up (-o: do not install it again)."""
    venv = Path(sys.prefix)
    if venv.resolve() == (PROJECT_ROOT / ".venv").resolve():
        return ["make", "lab"]
    return ["make", "lab", f"VENV={venv}", "-o", str(venv / ".installed-stamp")]


@pytest.mark.integration
def test_make_lab_starts_and_prints_the_url(tmp_path):
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"))
    if "PYTHONPATH" in env:  # the helpers under test, wherever the command runs from
        env["PYTHONPATH"] = os.pathsep.join(str(Path(p).resolve())
                                            for p in env["PYTHONPATH"].split(os.pathsep) if p)
    log = tmp_path / "make-lab.log"
    with open(log, "wb") as stream:
        server = subprocess.Popen(_make_lab(), cwd=PROJECT_ROOT, stdout=stream,
                                  stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not (found := URL.search(log.read_text(errors="replace"))):
            assert server.poll() is None, f"make lab stopped:\n{log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"no URL printed:\n{log.read_text()[-3000:]}"
            time.sleep(0.5)
        base, token = found.groups()
        with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=10) as reply:
            assert reply.status == 200
        # The project is the server's root: notebook 01 is where the URL printed says.
        with urllib.request.urlopen(f"{base}/api/contents/notebooks/01_annotate_source.ipynb"
                                    f"?content=0&token={token}", timeout=10) as reply:
            assert reply.status == 200
        with urllib.request.urlopen(f"{base}/lab?token={token}", timeout=10) as reply:
            assert reply.status == 200
        output = log.read_text(errors="replace")
        assert "/lab/tree/notebooks/01_annotate_source.ipynb?token=" in output
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            assert "JupyterLab is running (as root: --allow-root)" in output
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        server.wait(timeout=15)
