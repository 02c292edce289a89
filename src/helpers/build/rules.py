"""Rules across events: publication, chronology, deadlines, and the annotators' stages."""
from __future__ import annotations

from helpers.build.dating import _attack_bounds, _attack_ends
from helpers.build.model import ResolvedEvent, _iso
from helpers.build.roots import Roots
from helpers.core.errors import Consequence, Problem
from helpers.core.vocab import AFTER_ATTACK_TYPES, STAGE_EVENT_TYPES
from helpers.raw.load import Raw


def _check_rules(events: list[ResolvedEvent]) -> list[Problem]:
    problems = []
    attacks = _attack_bounds(events, conservative=True)
    attack_ends = _attack_ends(events)
    for item in events:
        event, dating = item.annotation, item.dating
        if dating is None:
            continue
        published = item.source.publication.latest
        if published is not None and dating.earliest > published \
                and not event.has_exception("after_publication"):
            problems.append(event.problem(
                "date", f"dated {_iso(dating.earliest)}, after its source's publication "
                f"({_iso(published)})", "check the date, or add an exception with rule "
                "after_publication and a reason"))
        attack = attacks.get(item.case_id) if item.case_id else None
        if attack is not None and event.type in AFTER_ATTACK_TYPES and dating.latest < attack \
                and not event.has_exception("chronology"):
            problems.append(event.problem(
                "date", f"a {event.type} dated {_iso(dating.latest)} is before the attack "
                f"({_iso(attack)})", "check the date, or add an exception with rule chronology "
                "and a reason"))
        attack_end = attack_ends.get(item.case_id) if item.case_id else None
        if attack_end is not None and event.type == "intrusion" \
                and dating.earliest > attack_end and not event.has_exception("chronology"):
            problems.append(event.problem(
                "date", f"an intrusion dated {_iso(dating.earliest)} is after the attack "
                f"({_iso(attack_end)})", "check the date, or code the event as an attack"))
        if item.deadline and item.deadline.latest < dating.earliest \
                and not event.has_exception("chronology"):
            problems.append(event.problem(
                "deadline.date", f"deadline {_iso(item.deadline.latest)} is before the ultimatum "
                f"was issued ({_iso(dating.earliest)})", "check both dates, or add an exception "
                "with rule chronology and a reason"))
    return problems


def _check_stage_overrides(raw: Raw, events: list[ResolvedEvent], roots: Roots) -> list[Problem]:
    """An annotator's stage names an event of the case of the stage's type."""
    types = {(e.case_id, e.annotation.event_key): e.annotation.type for e in events}
    deadlines = {(e.case_id, e.annotation.event_key) for e in events
                 if e.deadline is not None}
    problems = []
    for case in raw.cases.values():
        for item in case.stage_overrides:
            wanted = STAGE_EVENT_TYPES[item.stage]
            found = types.get((case.case_id, item.event_key))
            root = roots.key(("case", case.case_id, item.event_key))
            if found is None and root is not None:
                roots.notes.append(Consequence(root, f"stage {item.stage} of case "
                                               f"{case.case_id} (cases.yaml:{item.line}) not "
                                               f"checked: it names {item.event_key!r}",
                                               ("data/raw/cases.yaml",)))
                continue
            if found != wanted or (item.stage == "deadline" and
                                   (case.case_id, item.event_key) not in deadlines):
                keys = sorted(k for (c, k), t in types.items()
                              if c == case.case_id and t == wanted)
                problems.append(Problem(
                    "data/raw/cases.yaml", item.line, case.case_id, "stages.event_key",
                    f"stage {item.stage}: {item.event_key!r} is not "
                    + (f"a {wanted}" if found is None or found != wanted else "an ultimatum "
                       "with a dated deadline") + " of the case",
                    ("its " + wanted + " events: " + ", ".join(keys)) if keys
                    else f"the case has no {wanted} event", "case"))
    return problems
