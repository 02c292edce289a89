"""The project's own error types: every expected failure is reported as a Problem."""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from helpers.core.suggest import did_you_mean


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the inputs, located as precisely as we can.

    The same shape serves for warnings: things that look wrong but may be right, which fail
    the build only with --strict.
    """

    file: str
    line: int = 0
    event_id: str = ""
    field: str = ""
    message: str = ""
    hint: str = ""
    kind: str = "event"  # what event_id names: an event, or a case or group record
    # Lines shown under the message (the faulty line of a YAML file and a caret under it).
    excerpt: str = dataclasses.field(default="", compare=False)

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


@dataclass(frozen=True)
class Consequence:
    """What a problem stops from being checked: shown under it, not counted as a problem,
    so that one mistake reads as one problem however much it hides."""

    root: Problem
    message: str
    files: tuple[str, ...] = ()  # the files whose content is not checked because of it

    def located(self) -> list[Problem]:
        """The consequence as a line of each file it concerns (other than the root's), for
        views that show one file's messages (the annotator's source report)."""
        cause = f"{self.root.file}:{self.root.line}" if self.root.line else self.root.file
        return [Problem(file, message=self.message, hint=f"the problem is at {cause}")
                for file in self.files if file != self.root.file]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def render_report(problems: Iterable[Problem], consequences: Iterable[Consequence] = (),
                  warnings: Iterable[Problem] = (), where: str = "data/raw") -> str:
    """Problems sorted by file and line, each with its consequences under it; then the
    warnings, apart. Empty when there is nothing to say."""
    problems, warnings = sorted(set(problems)), sorted(set(warnings))
    under: dict[Problem, list[str]] = {}
    for item in consequences:
        under.setdefault(item.root, [])
        if item.message not in under[item.root]:
            under[item.root].append(item.message)
    lines: list[str] = []
    if problems:
        lines.append(f"{_plural(len(problems), 'problem')} in {where}:")
        for problem in problems:
            lines.append(f"  {problem}")
            if problem.excerpt:
                lines += [f"      {line}" for line in problem.excerpt.splitlines()]
            lines += [f"    ↳ {message}" for message in under.pop(problem, [])]
        for messages in under.values():  # a root that is not among the problems (a bug)
            lines += [f"  ↳ {message}" for message in messages]
    if warnings:
        lines.append(f"{_plural(len(warnings), 'warning')} in {where} (warnings do not stop "
                     "the build; --strict makes them fail it):")
        lines += [f"  {warning}" for warning in warnings]
    return "\n".join(lines)


class ProjectError(Exception):
    """Base of the errors the project raises on bad input; never shown as a traceback."""


class DatasetError(ProjectError):
    """The raw inputs have one or more problems; all of them are listed, sorted, each once,
    with what it stops from being checked under it, and the warnings apart."""

    def __init__(self, problems: list[Problem], consequences: Iterable[Consequence] = (),
                 warnings: Iterable[Problem] = ()):
        self.problems = sorted(set(problems))
        self.consequences = list(consequences)
        self.warnings = sorted(set(warnings))
        super().__init__(self.render())

    def render(self) -> str:
        return render_report(self.problems, self.consequences, self.warnings)


class UnknownIdError(ProjectError, ValueError):
    """An id (case, source, event type...) that the dataset does not know."""

    def __init__(self, kind: str, value: object, valid: list[str]):
        self.kind, self.value, self.valid = kind, value, valid
        guess = did_you_mean(value, valid)
        hint = f" (did you mean {guess!r}?)" if guess else ""
        super().__init__(f"unknown {kind} {value!r}{hint}; valid {kind}s: {', '.join(valid)}")
