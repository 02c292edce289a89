"""``make lab``: JupyterLab on the project, started the same way wherever the set-up ran.

``python -m helpers lab [jupyter lab options]`` runs this venv's JupyterLab with the project
folder as its root, adds ``--allow-root`` when it runs as root (as the README's set-up does:
JupyterLab refuses root otherwise), picks a free port from 8888 on, gives the server a
random token, waits until it answers, and prints the URL to open (notebook 01, the
annotation notebook, and the lab itself). Stop it with Ctrl-C.
"""
from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from helpers.core.paths import PROJECT_ROOT

START_TIMEOUT = 120  # seconds


def free_port(start: int = 8888, host: str = "127.0.0.1", tries: int = 100) -> int:
    for port in range(start, start + tries):
        with socket.socket() as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port between {start} and {start + tries - 1}")


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def command(port: int, token: str, root: Path = PROJECT_ROOT, ip: str = "127.0.0.1",
            extra: list[str] | None = None) -> list[str]:
    """The jupyter lab command line."""
    argv = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={root}",
            f"--ServerApp.ip={ip}", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}", "--no-browser"]
    if is_root():
        argv.append("--allow-root")
    return argv + list(extra or [])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers lab", description="JupyterLab on the project (make lab).")
    parser.add_argument("--port", type=int, default=int(os.environ.get("LAB_PORT") or 8888),
                        help="first port to try (default 8888, or LAB_PORT)")
    parser.add_argument("--ip", default=os.environ.get("LAB_IP") or "127.0.0.1",
                        help="address to listen on (default 127.0.0.1, or LAB_IP)")
    args, extra = parser.parse_known_args(argv)
    everywhere = args.ip in ("0.0.0.0", "*", "")
    port = free_port(args.port, "" if everywhere else args.ip)
    token = secrets.token_hex(24)
    server = subprocess.Popen(command(port, token, PROJECT_ROOT, args.ip, extra),
                              cwd=PROJECT_ROOT)

    def stop(signum, _frame):  # pass Ctrl-C and kill on to the server, then wait for it
        if server.poll() is None:
            server.send_signal(signal.SIGTERM if signum != signal.SIGINT else signal.SIGINT)

    signal.signal(signal.SIGTERM, stop)
    host = "127.0.0.1" if everywhere else args.ip
    base = f"http://{host}:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while not _answers(f"{base}/api/status?token={token}"):
            if server.poll() is not None:
                print(f"make lab: jupyter lab stopped (exit status {server.returncode})",
                      file=sys.stderr)
                return server.returncode or 1
            if time.monotonic() > deadline:
                print(f"make lab: jupyter lab did not answer within {START_TIMEOUT} s",
                      file=sys.stderr)
                stop(signal.SIGTERM, None)
                return 1
            time.sleep(0.3)
        notebook = "notebooks/01_annotate_source.ipynb"
        print(f"\nJupyterLab is running{' (as root: --allow-root)' if is_root() else ''}. "
              f"Open:\n    {base}/lab?token={token}\n"
              f"The annotation notebook:\n    {base}/lab/tree/{notebook}?token={token}\n"
              "Stop it with Ctrl-C.\n", flush=True)
        return server.wait()
    except KeyboardInterrupt:
        stop(signal.SIGINT, None)
        try:
            return server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            return server.wait()


if __name__ == "__main__":
    sys.exit(main())
