"""Skeleton files to fill in, with a comment on every field:

    python -m helpers new source <source_id> [--case CASE] [--url URL] [--outlet NAME]
                                             [--published DATE] [--language fr|en] [--text FILE]
    python -m helpers new case <case_id> [--victim NAME] [--city CITY] [--group GROUP ...]

`source` writes ``data/raw/sources/<source_id>.yaml`` and ``data/raw/annotations/<source_id>.yaml``
(with ``--text``, it also copies the text beside the metadata, byte for byte, and records its
sha256). `case` appends a case record to ``data/raw/cases.yaml``. Fields left to fill are
``null``: ``make check`` lists them, one line per record ("left to fill: outlet,
published_qualifier"). Every field the build reads is written out; nothing is hidden. The
files are plain YAML that any editor, or a round trip through a YAML library, keeps as they
are. Existing files are never overwritten. Conventions: docs/annotating.md.
"""
from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import sys
from datetime import date
from pathlib import Path

import yaml

from helpers.core.paths import RAW_DIR
from helpers.core.suggest import unknown_hint
from helpers.core.vocab import (
    FACILITY_KINDS,
    ID_PATTERN,
    INCIDENT_KINDS,
    LANGUAGES,
    PUBLISHED_QUALIFIERS,
)

CITATION_RIGHTS = "Citation only; no text stored. Facts paraphrased in English."
TRAILING_DATE = re.compile(r"-\d{4}(?:-\d{2}){0,2}$")


class ScaffoldError(Exception):
    """A scaffold that cannot be written (bad id, file already there)."""


def _scalar(value: object) -> str:
    """A value as YAML writes it on one line (quoted when it must be)."""
    if value is None:
        return "null"
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000)
    return text.removesuffix("\n...\n").removesuffix("\n")


def _quoted(value: str | None) -> str:
    """A date or other text that YAML would otherwise read as something else: quoted."""
    return "null" if value is None else '"' + value.replace('"', '\\"') + '"'


def _lines(fields: list[tuple[str, str, str]], indent: str = "") -> list[str]:
    """`key: value  # comment` lines, comments aligned."""
    width = max(len(f"{indent}{k}: {v}") for k, v, _ in fields) + 2
    return [f"{indent}{k}: {v}".ljust(width) + f"# {c}" if c else f"{indent}{k}: {v}"
            for k, v, c in fields]


def event_id_prefix(source_id: str) -> str:
    """The prefix of a source's event ids: its id without the publication date."""
    return TRAILING_DATE.sub("", source_id)


def source_files(source_id: str, *, case: str | None = None, url: str | None = None,
                 outlet: str | None = None, published: str | None = None,
                 language: str = "fr", has_text: bool = False, sha256: str | None = None,
                 received: str | None = None) -> tuple[str, str]:
    """The skeleton metadata file and annotation file of a source, as text."""
    received = received or date.today().isoformat()
    text_file = f"{source_id}.txt" if has_text else None
    rights = None if has_text else CITATION_RIGHTS
    meta = [
        ("source_id", source_id, "= the file name: <case place>-<outlet>-<date published>"),
        ("outlet", _scalar(outlet), "required: the outlet as it signs, e.g. Franceinfo"),
        ("title", "null", "the headline as the page shows it; null when it shows none"),
        ("title_basis", "null", "optional: how the title is known, when not plainly shown"),
        ("author", "null", "null when unsigned"),
        ("url", _scalar(url), "the page's full URL; null when unknown (then say why in url_note)"),
        ("url_note", "null", "optional: why the URL is missing or partial"),
        ("language", _scalar(language), "required: " + " | ".join(LANGUAGES)),
        ("published", _quoted(published),
         'ISO 8601: "2024-05-02T08:33:00+02:00", "2024-05-02" or "2024-05"; null if unknown'),
        ("published_qualifier", "null", "required: " + " | ".join(PUBLISHED_QUALIFIERS)
         + " (approximate: only the month, or a day inferred)"),
        ("published_basis", "null", "how the date is known: shown on the page, in the URL, "
         "inferred from..."),
        ("received", _quoted(received), "required: the day you read or stored the source"),
        ("rights", _scalar(rights), "required: "
         + ("who owns the text and on what terms you keep it" if has_text else
            "kept as written for citation-only sources")),
    ]
    if has_text:
        meta += [("text_file", text_file, "the stored text beside this file, never edited"),
                 ("sha256", _quoted(sha256), "the text's sha256 (sha256sum); checked at every "
                  "build")]
    meta += [("via", "null", "optional: how you found the source (a search, a link from "
              "another source)"),
             ("notes", "null", "optional; mark what you infer as inferred")]
    meta_text = "\n".join([
        "# Metadata of one source. Fill what says \"required\"; leave the rest null when unknown.",
        "# Conventions: docs/annotating.md. Then run `make check`.",
        *_lines(meta), ""])

    prefix = event_id_prefix(source_id)
    if has_text:
        evidence = [("quote", "null", f"required: the passage of {text_file} that reports the "
                     "event and its date, copied exactly")]
        verbatim = []
    else:
        evidence = [("paraphrase", "null", "required: what the source says of the event, "
                     "in English")]
        verbatim = [("date_text_verbatim", "true", "false when date_text is your English "
                     "rendering of the source's date (it is then read as English)")]
    event = [
        ("id", "null", f"required: {prefix}-<what>, e.g. {prefix}-leak; unique, never reused"),
        ("case", _scalar(case), "required: a case_id of cases.yaml (none for police actions)"),
        ("type", "null", "required: attack, disclosure, claim, ultimatum, leak... "
         "(docs/data-model.md)"),
        ("event_key", "null", "required: the real-world event, the same key in every source "
         "(attack, claim, leak...)"),
        ("status", "null", "required: claimed_by_attackers | stated_by_victim | "
         "reported_by_outlet | confirmed_by_authorities"),
        *evidence,
        ("date_text", "null", "the date as the source writes it, copied exactly; null when "
         "it gives none"),
        *verbatim,
        ("date", "null", 'optional: your reading of it, "2024-05-02" (checked against '
         "date_text)"),
        ("summary", "null", "required: one line, in English"),
    ]
    dismissed = ("dismissed: []  # date expressions of the text that date no event: "
                 "- {text: \"...\", reason: \"...\"}" if has_text else "dismissed: []")
    annotation_text = "\n".join([
        f"# The events that {source_id} reports, one entry each: copy the block for each",
        "# further event. Conventions: docs/annotating.md. Then run `make check`.",
        f"source: {source_id}",
        "events:",
        *[("  - " + line[4:]) if i == 0 else line
          for i, line in enumerate(_lines(event, "    "))],
        dismissed, ""])
    return meta_text, annotation_text


def case_record(case_id: str, *, victim: str | None = None, city: str | None = None,
                groups: list[str] | None = None, facility_kind: str | None = None,
                incident_kind: str | None = None) -> str:
    """A skeleton case record, as text to append to cases.yaml."""
    fields = [
        ("case_id", case_id, "<place>-<year of the attack>, e.g. cannes-2024"),
        ("victim", _scalar(victim), "required: the victim's own name, as in its statements"),
        ("short_name", "null", "optional: the label of figures and tables (default: the city)"),
        ("facility_kind", _scalar(facility_kind), "required: " + " | ".join(FACILITY_KINDS)),
        ("incident_kind", _scalar(incident_kind), "required: " + " | ".join(INCIDENT_KINDS)),
        ("city", _scalar(city), "required"),
        ("country_code", "FR", "required: ISO 3166-1 alpha-2"),
        ("groups", _scalar(list(groups or [])), "required: group ids of groups.yaml; [] when "
         "no source attributes it"),
        ("timezone", "Europe/Paris", "required: IANA name"),
        ("notes", "null", "optional"),
    ]
    lines = _lines(fields, "  ")
    lines[0] = "- " + lines[0][2:]
    return "\n".join(["", *lines, ""])


def _check_id(value: str, what: str) -> None:
    if not ID_PATTERN.match(value):
        raise ScaffoldError(f"{value!r} is not a valid {what} (use lower-case letters, digits "
                            "and hyphens)")


def new_source(raw: Path, source_id: str, *, text: Path | None = None, **fields) -> list[Path]:
    """Write a source's skeleton files into `raw`; return them."""
    _check_id(source_id, "source id")
    meta_path = raw / "sources" / f"{source_id}.yaml"
    annotation_path = raw / "annotations" / f"{source_id}.yaml"
    text_path = raw / "sources" / f"{source_id}.txt"
    for path in (meta_path, annotation_path) + ((text_path,) if text else ()):
        if path.exists():
            raise ScaffoldError(f"{path} exists already; nothing was written")
    if fields.get("language") not in LANGUAGES:
        raise ScaffoldError(f"unknown language {fields.get('language')!r} "
                            f"({unknown_hint(fields.get('language'), LANGUAGES)})")
    sha = None
    if text is not None:
        data = Path(text).read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as err:
            raise ScaffoldError(f"{text} is not UTF-8 (byte {err.start}): convert it first") \
                from None
        sha = hashlib.sha256(data).hexdigest()
    meta, annotation = source_files(source_id, has_text=text is not None, sha256=sha, **fields)
    meta_path.parent.mkdir(parents=True, exist_ok=True)
    annotation_path.parent.mkdir(parents=True, exist_ok=True)
    written = []
    if text is not None:
        shutil.copyfile(text, text_path)
        written.append(text_path)
    meta_path.write_text(meta, encoding="utf-8")
    annotation_path.write_text(annotation, encoding="utf-8")
    return written + [meta_path, annotation_path]


def new_case(raw: Path, case_id: str, **fields) -> Path:
    """Append a case's skeleton record to `raw`/cases.yaml; return its path."""
    _check_id(case_id, "case id")
    path = raw / "cases.yaml"
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    if re.search(rf"^\s*-?\s*case_id:\s*['\"]?{re.escape(case_id)}['\"]?\s*(#.*)?$", existing,
                 re.MULTILINE):
        raise ScaffoldError(f"case {case_id} is in {path} already; nothing was written")
    for name, vocab in (("facility_kind", FACILITY_KINDS), ("incident_kind", INCIDENT_KINDS)):
        value = fields.get(name)
        if value is not None and value not in vocab:
            raise ScaffoldError(f"unknown {name.replace('_', ' ')} {value!r} "
                                f"({unknown_hint(value, vocab)})")
    separator = "" if not existing or existing.endswith("\n") else "\n"
    path.write_text(existing + separator + case_record(case_id, **fields), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers new",
                                     description="Write skeleton files to fill in.")
    parser.add_argument("--raw", type=Path, default=RAW_DIR, help="raw data folder")
    kinds = parser.add_subparsers(dest="kind", required=True)
    source = kinds.add_parser("source", help="a source's metadata and annotation files")
    source.add_argument("source_id", help="<case place>-<outlet>-<date published>, e.g. "
                        "cannes-franceinfo-2024-05-02")
    source.add_argument("--case", help="the case its events belong to")
    source.add_argument("--url")
    source.add_argument("--outlet")
    source.add_argument("--published", help="ISO date as the page shows it")
    source.add_argument("--language", default="fr", help="fr (default) or en")
    source.add_argument("--text", type=Path, help="a text file to store beside the metadata")
    case = kinds.add_parser("case", help="a case record appended to cases.yaml")
    case.add_argument("case_id", help="<place>-<year of the attack>, e.g. cannes-2024")
    case.add_argument("--victim")
    case.add_argument("--city")
    case.add_argument("--group", action="append", dest="groups", default=[],
                      help="a group id of groups.yaml (repeatable)")
    case.add_argument("--facility-kind")
    case.add_argument("--incident-kind")
    args = parser.parse_args(argv)
    raw = args.raw
    try:
        if args.kind == "source":
            written = new_source(raw, args.source_id, text=args.text, case=args.case,
                                 url=args.url, outlet=args.outlet, published=args.published,
                                 language=args.language)
            done = f"wrote {', '.join(str(p) for p in written)}"
        else:
            path = new_case(raw, args.case_id, victim=args.victim, city=args.city,
                            groups=args.groups, facility_kind=args.facility_kind,
                            incident_kind=args.incident_kind)
            done = f"appended case {args.case_id} to {path}"
    except (ScaffoldError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"{done}: fill in what is null, then run `make check` (it lists what is left).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
