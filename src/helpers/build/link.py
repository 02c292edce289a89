"""Linking: each annotated event to its source, case and groups; keys typed once."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from helpers.build.model import ResolvedEvent
from helpers.build.roots import Roots, _short
from helpers.core.errors import Problem
from helpers.core.suggest import did_you_mean, unknown_hint
from helpers.core.vocab import GROUP_EVENT_TYPES
from helpers.raw.annotations import Annotation
from helpers.raw.cases import group_hint
from helpers.raw.load import Raw
from helpers.raw.sources import DEFAULT_TIMEZONE


def _link_events(raw: Raw, roots: Roots) -> tuple[list[ResolvedEvent], list[Problem]]:
    problems: list[Problem] = []
    events: list[ResolvedEvent] = []
    seen_ids: dict[str, str] = {}
    roots.unreadable = next((p for f, p in sorted(raw.unreadable.items())
                             if "/annotations/" in f), None)
    cases_root = next((p for f, p in raw.unreadable.items() if f.endswith("cases.yaml")), None)
    groups_root = next((p for f, p in raw.unreadable.items() if f.endswith("groups.yaml")),
                       None)
    # An unknown name is one problem, at its first use; its other uses are listed under it.
    first_use: dict[tuple[str, str], Problem] = {}

    def unknown(event: Annotation, name: str, value: str, message: str, hint: str) -> Problem:
        if (name, value) in first_use:
            root = first_use[(name, value)]
            roots.stop(root, f"{{n}} more event{{s}} with {name} {value!r}, not checked: "
                       "{places}", event)
            return root
        root = first_use[(name, value)] = event.problem(name, message, hint)
        problems.append(root)
        return root

    for file in raw.files:
        source = raw.sources.get(file.source_id)
        if source is None and file.source_id in raw.source_files:
            root = raw.invalid_sources.get(file.source_id)
            for event in file.events:
                if root is not None and event.is_valid:  # its metadata or text is broken
                    roots.left_out(event, root)
                    roots.stop(root, f"{{n}} event{{s}} of source {file.source_id} not checked: "
                               f"the source is invalid, see {_short(root.file)}"
                               + (f":{root.line}" if root.line else ""), event)
            continue
        if source is None:
            guess = did_you_mean(file.source_id, raw.source_files)
            problems.append(Problem(file.file, 1, field="source",
                                    message=f"unknown source {file.source_id!r}",
                                    hint=(f"did you mean {guess!r}? an annotation file is "
                                          "named after its source" if guess else
                                          f"add data/raw/sources/{file.source_id}.yaml first")))
            continue
        for event in file.events:
            if not event.is_valid:
                # Cross-checks would only repeat what its own fields got wrong.
                roots.left_out(event, min(event.problems))
                continue
            event_id = event.id
            if event_id and event_id in seen_ids:
                problem = event.problem("id", "duplicate event id",
                                        f"also used in {seen_ids[event_id]}; ids are never "
                                        "reused: pick a new one")
                problems.append(problem)
                roots.left_out(event, problem)
                continue
            if event_id:
                seen_ids[event_id] = f"{event.file}:{event.line}"
            if event.case and event.case in raw.invalid_cases:
                root = raw.invalid_cases[event.case]
                roots.stop(root, f"{{n}} event{{s}} of case {event.case} not checked "
                           f"({{places}}): the case is invalid, see {_short(root.file)}:"
                           f"{root.line}", event)
                roots.texts.setdefault(event.source_id, root)
                continue
            if event.case and event.case not in raw.cases and cases_root:
                roots.stop(cases_root, "{n} event{s} not checked ({places}): "
                           f"{_short(cases_root.file)} cannot be read", event)
                roots.texts.setdefault(event.source_id, cases_root)
                continue
            found = []
            if event.case and event.case not in raw.cases:
                found.append(unknown(event, "case", event.case, f"unknown case {event.case!r}",
                                     unknown_hint(event.case,
                                                  sorted({*raw.cases, *raw.invalid_cases}),
                                                  "known cases",
                                                  many="the {n} cases of data/raw/cases.yaml")))
            for name in ("actor", "target"):
                value = event.fields.get(name)
                if value and value not in raw.groups and value not in raw.invalid_groups \
                        and not groups_root:
                    found.append(unknown(event, name, str(value), f"unknown group {value!r}",
                                         group_hint(str(value), raw.groups)))
            if found:
                roots.left_out(event, found[0],
                               case=event.case if event.case in raw.cases else "")
                continue
            case = raw.cases.get(event.case) if event.case else None
            tz = ZoneInfo(case.timezone if case else DEFAULT_TIMEZONE)
            group_field = GROUP_EVENT_TYPES.get(event.type)
            group_id = event.fields.get(group_field) if group_field else None
            events.append(ResolvedEvent(event, source, event.case, group_id, tz))
    types_by_key: dict[tuple, ResolvedEvent] = {}
    for item in events:
        key = (*item.scope, item.annotation.event_key)
        first = types_by_key.setdefault(key, item)
        if first.annotation.type != item.annotation.type:
            problems.append(item.annotation.problem(
                "event_key", f"{item.annotation.event_key!r} is a {first.annotation.type} in "
                f"{first.annotation.file}:{first.annotation.line} but a {item.annotation.type} here",
                "one real-world event has one type: use another key"))
    return events, problems


def linked_events(raw: Raw) -> list[ResolvedEvent]:
    """The events of data/raw whose references hold (cases, sources, groups)."""
    return _link_events(raw, Roots())[0]
