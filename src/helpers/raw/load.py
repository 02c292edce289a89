"""Data/raw as the build reads it: every input loaded, and which records are invalid or unreadable."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from helpers.core.errors import DatasetError, Problem
from helpers.core.paths import PROJECT_ROOT, RAW_DIR
from helpers.raw.annotations import AnnotationFile, load_annotations
from helpers.raw.cases import Case, Group, load_cases, load_groups
from helpers.raw.sources import Source, load_sources
from helpers.raw.yamlio import load_yaml


@dataclass
class Raw:
    groups: dict[str, Group]
    cases: dict[str, Case]
    sources: dict[str, Source]
    files: list[AnnotationFile]
    problems: list[Problem] = field(default_factory=list)
    source_files: frozenset[str] = frozenset()  # stems of every source metadata file
    # Records that exist but are invalid, with the first of their problems: what names them
    # is not checked, and is reported under that problem rather than as "unknown".
    invalid_groups: dict[str, Problem] = field(default_factory=dict)
    invalid_cases: dict[str, Problem] = field(default_factory=dict)
    invalid_sources: dict[str, Problem] = field(default_factory=dict)
    # Files that could not be read at all (YAML syntax, not UTF-8, wrong shape), by path:
    # what they hold is unknown, so nothing is said to be missing because of them.
    unreadable: dict[str, Problem] = field(default_factory=dict)


def _invalid_records(problems: list[Problem], kind: str, valid) -> dict[str, Problem]:
    roots: dict[str, Problem] = {}
    for problem in sorted(problems):
        if problem.kind == kind and problem.event_id and problem.event_id not in valid:
            roots.setdefault(problem.event_id, problem)
    return roots


def _unreadable(problems: list[Problem], files: list[str]) -> dict[str, Problem]:
    """The first problem of each file in `files` that could not be read as a whole."""
    found: dict[str, Problem] = {}
    for problem in sorted(problems):
        if problem.file in files and not problem.event_id:
            found.setdefault(problem.file, problem)
    return found


def load_raw(raw_dir: Path = RAW_DIR, root: Path = PROJECT_ROOT) -> Raw:
    groups, problems = load_groups(raw_dir, root)
    invalid_groups = _invalid_records(problems, "group", groups)
    groups_file = str((raw_dir / "groups.yaml").relative_to(root))
    unreadable = _unreadable(problems, [groups_file]) if not groups else {}
    if unreadable:  # every group is unknown: the cases naming one are not to blame
        invalid_groups = {}
    cases, found = load_cases(raw_dir, root, groups, frozenset(invalid_groups),
                              groups_unknown=bool(unreadable))
    problems += found
    if not cases:
        unreadable.update(_unreadable(found, [str((raw_dir / "cases.yaml").relative_to(root))]))
    invalid_cases = _invalid_records(found, "case", cases)
    sources, found = load_sources(raw_dir, root)
    problems += found
    stems = frozenset(p.stem for p in (raw_dir / "sources").glob("*.yaml"))
    invalid_sources: dict[str, Problem] = {}
    for problem in sorted(found):
        stem = Path(problem.file).stem
        if stem in stems and stem not in sources:
            invalid_sources.setdefault(stem, problem)
    # What an event needs as evidence depends on its source: said with its other fields.
    evidence = {i: ("quote" if (raw_dir / "sources" / f"{i}.txt").is_file() else "paraphrase")
                for i in stems}
    evidence.update({i: ("quote" if s.has_text else "paraphrase") for i, s in sources.items()})
    files, found = load_annotations(raw_dir, root, evidence)
    problems += found
    loaded = {f.file for f in files}
    unreadable.update(_unreadable(found, [
        str(p.relative_to(root)) for p in sorted((raw_dir / "annotations").glob("*.yaml"))
        if str(p.relative_to(root)) not in loaded]))
    return Raw(groups, cases, sources, files, problems, stems, invalid_groups, invalid_cases,
               invalid_sources, unreadable)


def load_metadata(raw_dir: Path = RAW_DIR) -> dict:
    """data/raw/dataset.yaml: the dataset's name, title, version, description, licences."""
    data, problems = load_yaml(raw_dir / "dataset.yaml", "data/raw/dataset.yaml")
    if problems:
        raise DatasetError(problems)
    return dict(data)
