"""The project's own error types: every expected failure is reported as a Problem."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the inputs, located as precisely as we can."""

    file: str
    line: int = 0
    event_id: str = ""
    field: str = ""
    message: str = ""
    hint: str = ""
    kind: str = "event"  # what event_id names: an event, or a case or group record

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        parts = [place]
        if self.event_id:
            parts.append(f"{self.kind} {self.event_id}")
        if self.field:
            parts.append(f"field '{self.field}'")
        text = ": ".join(parts) + f": {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class ProjectError(Exception):
    """Base of the errors the project raises on bad input; never shown as a traceback."""


class DatasetError(ProjectError):
    """The raw inputs have one or more problems; all of them are listed, sorted."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(self.render())

    def render(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in data/raw:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


class UnknownIdError(ProjectError, ValueError):
    """An id (case, source, event type...) that the dataset does not know."""

    def __init__(self, kind: str, value: object, valid: list[str]):
        self.kind, self.value, self.valid = kind, value, valid
        super().__init__(f"unknown {kind} {value!r}; valid {kind}s: {', '.join(valid)}")
