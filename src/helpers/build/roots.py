"""Where each left-out thing's trouble began, so that a problem is reported once, at its root."""
from __future__ import annotations

from dataclasses import dataclass, field

from helpers.core.errors import Consequence, Problem
from helpers.core.suggest import did_you_mean
from helpers.core.vocab import EVENT_TYPES, SYNONYMS
from helpers.raw.annotations import Annotation


def _short(file: str) -> str:
    """A raw file's name as messages cite it: relative to data/raw."""
    return file.split("data/raw/", 1)[-1]


def _places(events: list[Annotation], limit: int = 8) -> str:
    """Where events are, file by file: "annotations/a.yaml:3, 12; annotations/b.yaml:4"."""
    lines: dict[str, list[int]] = {}
    for event in events:
        lines.setdefault(_short(event.file), []).append(event.line)
    parts = []
    for file, numbers in lines.items():
        shown = ", ".join(str(n) for n in sorted(numbers)[:limit])
        more = f" and {len(numbers) - limit} more" if len(numbers) > limit else ""
        parts.append(f"{file}:{shown}{more}")
    return "; ".join(parts)


def _is_attack(event: Annotation) -> bool:
    """Whether an event, even one whose type is wrong, is meant as an attack."""
    kind = event.fields.get("type")
    if kind in EVENT_TYPES:
        return kind == "attack"
    return did_you_mean(kind, EVENT_TYPES, synonyms=SYNONYMS) == "attack" \
        or event.fields.get("event_key") == "attack"


@dataclass
class Roots:
    """Where each left-out thing's trouble began. What depends on it (an event of an invalid
    case, an undated event bounded by a broken attack, a text whose coverage cannot be
    checked) is reported once, under that root problem, not as problems of its own."""

    # (scope kind, scope id, event_key) -> the problem of an event left out or not dated
    keys: dict[tuple, Problem] = field(default_factory=dict)
    attacks: dict[str, Problem] = field(default_factory=dict)  # case -> its broken attack's
    texts: dict[str, Problem] = field(default_factory=dict)  # source -> why coverage waits
    # root -> (what is stopped, e.g. "undated events of case x not bounded", the events)
    stopped: dict[tuple[Problem, str], list[Annotation]] = field(default_factory=dict)
    notes: list[Consequence] = field(default_factory=list)
    unreadable: Problem | None = None  # an annotation file that cannot be read: it may hold
    # the attack or the event key that seems missing

    def attack(self, case: str | None) -> Problem | None:
        return self.attacks.get(case or "") or (self.unreadable if case else None)

    def key(self, key: tuple) -> Problem | None:
        return self.keys.get(key) or self.unreadable

    def why(self, root: Problem, what: str) -> str:
        """Why `what` (the case's attack, an event key) is missing, said from its root."""
        if root is self.unreadable:
            return f"{what} may be in {_short(root.file)}, which cannot be read"
        return f"{what} has a problem, see {_short(root.file)}:{root.line}"

    def left_out(self, event: Annotation, root: Problem, case: str | None = None) -> None:
        """`event` is not checked further because of `root`."""
        self.texts.setdefault(event.source_id, root)
        case = case if case is not None else event.fields.get("case")
        key = event.fields.get("event_key")
        if case and isinstance(case, str) and isinstance(key, str):
            self.keys.setdefault(("case", case, key), root)
            if _is_attack(event):
                self.attacks.setdefault(case, root)

    def stop(self, root: Problem, what: str, event: Annotation) -> None:
        self.stopped.setdefault((root, what), []).append(event)

    def consequences(self) -> list[Consequence]:
        found = []
        for (root, what), events in self.stopped.items():
            count = len(events)
            found.append(Consequence(root, what.format(n=count, s="s" if count != 1 else "",
                                                       places=_places(events)),
                                     tuple(sorted({e.file for e in events}))))
        return found + self.notes
