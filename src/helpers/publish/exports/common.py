"""What every export shares: the package's metadata, its release date, atomic writes, JSON
written the same way every time, and the rule for links (only the sources' own pages)."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from helpers.core.errors import ProjectError
from helpers.core.labels import text_or_empty
from helpers.core.paths import PROCESSED_DIR, PROJECT_ROOT

BUILD_DIR = PROJECT_ROOT / "build"
EXPORTS_DIR = BUILD_DIR / "exports"


class ExportError(ProjectError):
    """An export disagrees with the data package, or cannot be made from it."""


@dataclass(frozen=True)
class PackageInfo:
    """The data package's own metadata (``datapackage.json``) and its release date."""

    name: str
    title: str
    version: str
    description: str
    homepage: str
    license_name: str
    license_title: str
    license_url: str
    released: dt.date
    resources: tuple[dict, ...]


def release_date(root: Path = PROJECT_ROOT) -> dt.date:
    """The date of the current version, from CITATION.cff (``date-released``)."""
    citation = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    value = citation.get("date-released")
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ExportError(f"CITATION.cff has no valid date-released ({value!r})") from exc


def package_info(processed_dir: Path = PROCESSED_DIR, root: Path = PROJECT_ROOT) -> PackageInfo:
    package = json.loads((Path(processed_dir) / "datapackage.json").read_text(encoding="utf-8"))
    licence = (package.get("licenses") or [{}])[0]
    return PackageInfo(
        name=package["name"], title=package.get("title", package["name"]),
        version=package["version"], description=package.get("description", ""),
        homepage=package.get("homepage", ""), license_name=licence.get("name", ""),
        license_title=licence.get("title", ""), license_url=licence.get("path", ""),
        released=release_date(root), resources=tuple(package["resources"]))


def json_bytes(value) -> bytes:
    """JSON as every export writes it: UTF-8, indented, keys in the order given, final newline."""
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_atomic(path: Path, data: bytes) -> Path:
    """Write `data` to `path` through a temporary file in the same folder: never half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def source_url(url) -> str | None:
    """A source's URL, fit to link to: http(s) only, never an onion (leak-site) address.

    Exports link only to the sources' own pages (``sources.url``), never to a group's leak
    site; a URL that breaks the rule stops the export."""
    if url is None or (isinstance(url, float) and url != url) or str(url) in ("", "<NA>"):
        return None
    url = str(url)
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise ExportError(f"not a URL: {url!r}") from exc
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise ExportError(f"a source URL must be http(s): {url!r}")
    if host.endswith(".onion"):
        raise ExportError(f"no link to a leak site: {url!r}")
    return url


text = text_or_empty  # a cell as text: '' for a missing value


# Short English names of the event types, for headlines and object names.
EVENT_LABELS = {
    "intrusion": "Intrusion", "attack": "Attack", "disclosure": "Disclosure",
    "crisis_plan": "Crisis plan", "care_disruption": "Care disrupted",
    "complaint": "Complaint", "investigation": "Investigation",
    "ransom_demand": "Ransom demand", "claim": "Claim", "ultimatum": "Ultimatum",
    "leak": "Leak", "first_recovery": "First systems back", "return_to_normal": "Back to normal",
    "police_action": "Police action", "relaunch": "Group relaunch",
}
STATUS_LABELS = {
    "claimed_by_attackers": "claimed by the attackers",
    "stated_by_victim": "stated by the victim",
    "reported_by_outlet": "reported by the outlet",
    "confirmed_by_authorities": "confirmed by the authorities",
}


def out_parser(prog: str, description: str, default: Path, shown: str
               ) -> argparse.ArgumentParser:
    """The command line of an export that writes to one folder (`--out`)."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--out", type=Path, default=default,
                        help=f"output folder (default: {shown})")
    return parser


def run_cli(parser: argparse.ArgumentParser, argv: Sequence[str] | None,
            write: Callable[[argparse.Namespace], Iterable[object]],
            errors: tuple[type[Exception], ...] = (ProjectError, FileNotFoundError)) -> int:
    """Parse `argv`, run `write`, print each line it returns; on one of `errors`, print it
    without a traceback and exit 2."""
    args = parser.parse_args(argv)
    try:
        lines = list(write(args))
    except errors as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for line in lines:
        print(line)
    return 0
