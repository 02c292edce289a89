"""A local, read-only Datasette of the dataset: ``python -m helpers serve`` (``make serve``).

Builds the SQLite database and Datasette's metadata from the data package
(:mod:`helpers.publish.exports.sqlite`) into ``build/datasette/``, then runs Datasette on it,
immutable (opened read-only: no statement can change it), bound to 127.0.0.1 unless told
otherwise. ``--build-only`` writes the files and stops.
"""
from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from helpers.core.errors import ProjectError
from helpers.publish.exports import sqlite

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001


def datasette_command(db: Path, metadata: Path, host: str = DEFAULT_HOST,
                      port: int = DEFAULT_PORT) -> list[str]:
    """The Datasette command line: immutable database, metadata (and the stylesheet in the
    ``static`` folder beside it), host and port."""
    static = Path(metadata).parent / "static"
    return [sys.executable, "-m", "datasette", "serve", "--immutable", str(db),
            "--metadata", str(metadata), "--static", f"{sqlite.STATIC_MOUNT}:{static}",
            "--host", host, "--port", str(port), "--setting", "sql_time_limit_ms", "3000",
            "--setting", "suggest_facets", "off"]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers serve",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help=f"address to listen on (default {DEFAULT_HOST}: this machine only)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port (default {DEFAULT_PORT})")
    parser.add_argument("--dir", type=Path, default=sqlite.DEFAULT_DIR,
                        help="where the database and metadata go (default build/datasette)")
    parser.add_argument("--build-only", action="store_true",
                        help="write the database and metadata, do not start the server")
    args = parser.parse_args(argv)
    try:
        db, metadata, _ = sqlite.build(args.dir)
    except (ProjectError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{db}\n{metadata}", flush=True)
    if args.build_only:
        return 0
    if not is_loopback(args.host):
        print(f"warning: listening on {args.host}: anyone who can reach this machine can read "
              "the dataset (it stays read-only)", file=sys.stderr, flush=True)
    command = datasette_command(db, metadata, args.host, args.port)
    print(f"Datasette on http://{args.host}:{args.port}/ (Ctrl-C stops it)", flush=True)
    os.execv(command[0], command)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
