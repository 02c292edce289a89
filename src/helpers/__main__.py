"""``python -m helpers COMMAND``: every command of the project, by the stage it runs.

The Makefile calls these; ``python -m helpers`` alone lists them.
"""
from __future__ import annotations

import importlib
import sys

# command -> (module, function, what it does); imported only when run.
COMMANDS = {
    "build": ("helpers.pipeline", "build_main", "check data/raw and write data/processed"),
    "derive": ("helpers.pipeline", "derive_main",
               "derive the timeline, stages and delays again from data/processed"),
    "new": ("helpers.raw.scaffold", "main", "scaffold a new source (and its case)"),
    "reports": ("helpers.publish.reports", "main", "render the HTML reports"),
    "readme": ("helpers.publish.readme", "main", "regenerate the README's coverage tables"),
    "version": ("helpers.publish.version", "main", "release the CHANGELOG's Unreleased entry"),
    "export": ("helpers.publish.export", "main", "figures for articles, and the exports"),
    "serve": ("helpers.publish.serve", "main", "a local read-only Datasette of the dataset"),
    "lab": ("helpers.present.lab", "main", "JupyterLab on the project"),
}


def usage() -> str:
    width = max(map(len, COMMANDS))
    lines = ["usage: python -m helpers COMMAND [options]   (COMMAND --help for its options)",
             "", "commands:"]
    lines += [f"  {name:<{width}}  {about}" for name, (_, _, about) in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(usage())
        return 0 if argv else 2
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        print(f"unknown command {name!r}\n\n{usage()}", file=sys.stderr)
        return 2
    module, function, _ = COMMANDS[name]
    return getattr(importlib.import_module(module), function)(rest)


if __name__ == "__main__":
    sys.exit(main())
