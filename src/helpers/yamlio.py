"""YAML reading that remembers where each mapping and key stood, for error messages."""
from __future__ import annotations

from pathlib import Path

import yaml

from .errors import Problem


class LocatedDict(dict):
    """A mapping from YAML that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


# libyaml's parser where PyYAML has it (about ten times faster); its nodes carry marks too.
class _LocatingLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


def _construct_located_mapping(loader: _LocatingLoader, node: yaml.MappingNode) -> LocatedDict:
    mapping = LocatedDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_plain_timestamp(loader: _LocatingLoader, node: yaml.ScalarNode) -> str:
    # Dates stay text as written: we parse them ourselves with known time zones.
    return loader.construct_scalar(node)


_LocatingLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_located_mapping
)
_LocatingLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_plain_timestamp)


def read_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 file, turning a decoding failure into a Problem."""
    try:
        return path.read_bytes().decode("utf-8"), []
    except UnicodeDecodeError as err:
        return None, [Problem(display, message=f"not valid UTF-8 (byte {err.start})",
                              hint="save the file as UTF-8")]
    except OSError as err:
        return None, [Problem(display, message=f"cannot be read: {err.strerror}")]


def load_yaml(path: Path, display: str) -> tuple[object, list[Problem]]:
    """Parse a YAML file; a syntax error becomes a Problem with line and column."""
    text, problems = read_text(path, display)
    if text is None:
        return None, problems
    try:
        return yaml.load(text, Loader=_LocatingLoader), []
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 0
        column = f", column {mark.column + 1}" if mark else ""
        reason = err.problem or err.context or "syntax error"
        # Where the construct began is often where the mistake is (an unclosed bracket).
        started = ""
        if err.context and err.context_mark and err.problem_mark \
                and err.context_mark.line != err.problem_mark.line:
            started = f"; {err.context} started at line {err.context_mark.line + 1}"
        return None, [Problem(display, line, message=f"YAML syntax error{column}: {reason}{started}",
                              hint="fix the YAML syntax at that place")]
    except yaml.YAMLError as err:  # pragma: no cover - yaml raises marked errors for text input
        return None, [Problem(display, message=f"YAML error: {err}")]
