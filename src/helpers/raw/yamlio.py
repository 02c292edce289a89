"""YAML reading that remembers where each mapping and key stood, for error messages."""
from __future__ import annotations

from pathlib import Path

import yaml

from helpers.core.errors import Problem


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
    """Parse a YAML file; a syntax error becomes a Problem in plain words, at the line where
    the mistake most likely is, with that line shown and a caret under the fault."""
    text, problems = read_text(path, display)
    if text is None:
        return None, problems
    try:
        return yaml.load(text, Loader=_LocatingLoader), []
    except yaml.MarkedYAMLError as err:
        return None, [syntax_problem(err, text, display)]
    except yaml.YAMLError as err:  # pragma: no cover - yaml raises marked errors for text input
        return None, [Problem(display, message=f"not valid YAML: {err}")]


def excerpt(text: str, line: int, column: int) -> str:
    """Line `line` (0-based) of `text` with its number, and a caret under `column`."""
    lines = text.splitlines() or [""]
    line = min(max(line, 0), len(lines) - 1)
    shown = lines[line].replace("\t", " ")
    number = f"{line + 1} | "
    return f"{number}{shown}\n{' ' * (len(number) - 2)}| {' ' * min(column, len(shown))}^"


def _char_at(text: str, mark) -> str:
    lines = text.splitlines()
    if mark is None or mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def _previous_char(text: str, mark) -> str:
    """The last character before `mark` on its line that is not a space."""
    lines = text.splitlines()
    if mark is None or mark.line >= len(lines):
        return ""
    before = lines[mark.line][:mark.column].rstrip()
    return before[-1] if before else ""


def syntax_problem(err: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    """The parser's complaint said the way an annotator would say it.

    PyYAML reports where it noticed the fault (`problem_mark`), and for unclosed brackets
    and quotes where the construct began (`context_mark`): the problem is placed where the
    fix goes.
    """
    problem, context = err.problem or "", err.context or ""
    at, began = err.problem_mark, err.context_mark
    mark = at or began
    if "',' or ']'" in problem or "',' or '}'" in problem:
        bracket = "[" if "]" in problem else "{"
        closing = "]" if bracket == "[" else "}"
        mark = began or at
        message = f"the '{bracket}' opened here is never closed"
        hint = (f"close it with '{closing}' on the same line, or put the whole value in quotes "
                "if the bracket is part of the text")
    elif "quoted scalar" in context and "end of stream" in problem:
        mark = began or at
        quote = _char_at(text, began) or '"'
        message = f"the quote {quote} opened here is never closed"
        hint = f"close it with {quote} at the end of the value"
    elif "unknown escape" in problem:
        message = "a backslash inside double quotes starts an escape sequence, and this one is "\
                  "not valid"
        hint = "write \\\\ for a backslash, or put the value in single quotes"
    elif "cannot start any token" in problem:
        char = _char_at(text, at)
        if char == "\t":
            message = "a tab character: YAML indents with spaces only"
            hint = "replace the tab with spaces"
        else:
            message = f"a value cannot begin with {char!r} unquoted" if char else \
                "a character that cannot begin a value"
            hint = "put the whole value in quotes"
    elif "undefined alias" in problem:
        message = "a value beginning with '*' is read as a YAML alias"
        hint = "put the whole value in quotes"
    elif "mapping values are not allowed" in problem:
        message = "a ':' followed by a space inside a value is read as the start of a field"
        hint = ("put the whole value in quotes if the ':' is part of the text; if this is a "
                "field, indent it like the fields above")
    elif "block sequence entries are not allowed" in problem:
        message = "a list item ('- ') cannot follow a field on the same line"
        hint = "start the list on the next line, indented, or put the value in quotes"
    elif "expected '-' indicator" in problem:
        column = began.column + 1 if began else 0
        message = (f"this line breaks the list that begins at line {began.line + 1}"
                   if began else "this line breaks the list above it")
        hint = (f"each item of that list begins with '- ' at column {column}; indent this line "
                "like the items, or like the fields of the item it belongs to")
    elif "expected key" in problem:
        quote = _previous_char(text, at)
        if quote and quote in "'\"":
            message = "the value goes on after its closing quote"
            hint = ("inside single quotes, write an apostrophe as two ('l''hôpital'), or put "
                    "the value in double quotes" if quote == "'" else
                    "inside double quotes, write a double quote as \\\", or put the value in "
                    "single quotes")
        else:
            message = (f"this line does not fit the fields of the block that begins at line "
                       f"{began.line + 1}" if began else "this line does not fit the fields above")
            hint = ("indent it like the fields of its block; a list item needs a space after "
                    "its '-'")
    elif "expected ':'" in problem:
        mark = began or at
        message = "a line without 'field: value' where a field is expected"
        hint = ("add the ':' after the field name; if the line continues the text above, "
                "indent it further, or put the text in quotes")
    elif problem.startswith("duplicate key"):
        message = f"{problem.removeprefix('duplicate key ')} is given twice in the same record"
        hint = "keep one of them"
    else:
        message = problem or context or "syntax error"
        hint = "fix the YAML syntax at that place"
    line = mark.line + 1 if mark else 0
    shown = excerpt(text, mark.line, mark.column) if mark else ""
    return Problem(display, line, message=f"not valid YAML: {message}", hint=hint, excerpt=shown)
