"""Interval: each date as written resolved, checked against the hand date; undated events bounded."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from helpers.build.model import ResolvedEvent, _iso
from helpers.build.roots import Roots
from helpers.core.errors import Problem
from helpers.core.intervals import Interval
from helpers.core.suggest import did_you_mean
from helpers.resolution import dates
from helpers.resolution.hand import parse_hand_date


def _from_hand(hand: Interval, method: str) -> Interval:
    return replace(hand, method=method)


def _language(item: ResolvedEvent) -> str:
    # A date_text that is not verbatim is our English rendering of the source's date.
    if item.annotation.date_text_verbatim is False:
        return "en"
    return item.source.meta.get("language") or "fr"


def _unresolved_hint(item: ResolvedEvent, date_text: str, reference: datetime,
                     anchor) -> str:
    """What to do with a date the resolver cannot read: if it reads in the other language,
    the date_text_verbatim flag is what is wrong."""
    read_as = _language(item)
    other = "fr" if read_as == "en" else "en"
    try:
        dates.resolve(date_text, reference.astimezone(item.tz), anchor, language=other)
    except (dates.DateResolutionError, ValueError):
        return ("rephrase as the source wrote it, or give 'date' with 'date_note' explaining it")
    if other == "en":
        return ("it reads as English: if it is your rendering of the source's date, set "
                "date_text_verbatim: false, and it is read as English")
    return ("it reads as French, but a date_text marked date_text_verbatim: false is read as "
            "English: if the source wrote it so, remove date_text_verbatim: false")


def _date_expression(item: ResolvedEvent, date_text: str | None, hand_text: str | None,
                     note: str | None, field_prefix: str, anchor: Interval | None
                     ) -> tuple[Interval | None, list[Problem]]:
    """Resolve a date as written, and check it against the annotator's hand date."""
    event = item.annotation
    hand = None
    if hand_text:
        try:
            hand = parse_hand_date(hand_text, item.tz)
        except ValueError as err:
            return None, [event.problem(f"{field_prefix}date", str(err))]
    if not date_text:
        return (_from_hand(hand, "hand_iso"), []) if hand else (None, [])
    reference = item.source.publication.reference
    if reference is None:
        if hand is None:
            return None, [event.problem(
                f"{field_prefix}date_text", f"cannot resolve {date_text!r}: the source has no "
                "publication date to read it from", "give the hand date in 'date'")]
        reference = hand.latest
    # An undated anchor says nothing a relative expression could count from.
    anchor_value = (dates.DateResolution(anchor.earliest, anchor.latest, anchor.precision,
                                         anchor.method, anchor.value or "anchor", "anchor")
                    if anchor and anchor.precision in dates.PRECISIONS else None)
    try:
        resolved = dates.resolve(date_text, reference.astimezone(item.tz), anchor_value,
                                 language=_language(item))
    except (dates.DateResolutionError, ValueError) as err:
        if hand and note:
            return _from_hand(hand, "hand_explained"), []
        reason = str(err) if str(err).startswith("cannot resolve") else f"cannot resolve: {err}"
        return None, [event.problem(f"{field_prefix}date_text", reason,
                                    _unresolved_hint(item, date_text, reference, anchor_value))]
    if hand and not hand.overlaps(resolved):
        if note:
            return _from_hand(hand, "hand_explained"), []
        return None, [event.problem(
            f"{field_prefix}date", f"hand date {hand_text.strip()} disagrees with {date_text!r} "
            f"resolved as {resolved.value} ({_iso(resolved.earliest)} to {_iso(resolved.latest)})",
            "correct the hand date, or explain the difference in 'date_note'")]
    return resolved, []


def _combine(intervals: list[tuple[datetime, datetime]]) -> tuple[datetime, datetime]:
    """What the sources together say: the interval they share, or if they disagree, all of them."""
    start, end = max(lo for lo, _ in intervals), min(hi for _, hi in intervals)
    if start <= end:
        return start, end
    return min(lo for lo, _ in intervals), max(hi for _, hi in intervals)


def _dated_intervals(events: list[ResolvedEvent], key_of) -> dict[tuple, list]:
    intervals: dict[tuple, list] = {}
    for item in events:
        key = key_of(item)
        if key is None or item.dating is None or item.dating.method.startswith("bounds"):
            continue
        intervals.setdefault(key, []).append((item.dating.earliest, item.dating.latest))
    return intervals


def _key_bounds(events: list[ResolvedEvent]) -> dict[tuple, tuple[datetime, datetime]]:
    """Bounds of each real-world event (case or group, event_key) across its dated sources."""
    found = _dated_intervals(events, lambda e: (*e.scope, e.annotation.event_key))
    return {key: _combine(spans) for key, spans in found.items()}


def _attack_bounds(events: list[ResolvedEvent], *, conservative: bool) -> dict[str, datetime]:
    """Each case's attack start: the earliest any source allows (conservative, for rules),
    or the start of what the sources agree on (to bound undated events)."""
    found = _dated_intervals(events, lambda e: e.case_id if e.case_id
                             and e.annotation.type == "attack" else None)
    if conservative:
        return {case: min(lo for lo, _ in spans) for case, spans in found.items()}
    return {case: _combine(spans)[0] for case, spans in found.items()}


def _attack_ends(events: list[ResolvedEvent]) -> dict[str, datetime]:
    """Each case's attack end: the latest any dated source allows."""
    found = _dated_intervals(events, lambda e: e.case_id if e.case_id
                             and e.annotation.type == "attack" else None)
    return {case: max(hi for _, hi in spans) for case, spans in found.items()}


def _keys_of(events: list[ResolvedEvent], scope: tuple) -> list[str]:
    return sorted({e.annotation.event_key for e in events if e.scope == scope})


def _bound(item: ResolvedEvent, name: str, key_bounds, default: datetime | None,
           default_label: str, roots: Roots, events: list[ResolvedEvent]
           ) -> tuple[datetime | None, str, list[Problem]]:
    event = item.annotation
    value = event.fields.get(name)
    if value is None:
        if default is not None:
            return default, default_label, []
        if default_label == "attack" and roots.attack(item.case_id):
            root = roots.attack(item.case_id)
            roots.stop(root, f"{{n}} undated event{{s}} of case {item.case_id} not bounded "
                       f"({{places}}): " + roots.why(root, "its attack"), event)
            return None, "", []
        if default_label == "attack":
            attacks = [e for e in events if e.case_id == item.case_id
                       and e.annotation.type == "attack"]
            why = (f"no source dates the attack of case {item.case_id}" if attacks else
                   f"case {item.case_id} has no attack event")
            return None, "", [event.problem(
                name, f"undated, and {why} to bound it",
                f"give '{name}' as an event key or an ISO date"
                + ("" if attacks else ", or annotate the attack"))]
        return None, "", [event.problem(name, f"undated event with no {default_label} to "
                                        "bound it", f"give '{name}' as an event key or an "
                                        "ISO date")]
    key = (*item.scope, value)
    if key in key_bounds:
        lo, hi = key_bounds[key]
        return (lo if name == "not_before" else hi), value, []
    try:
        hand = parse_hand_date(value, item.tz)
    except ValueError:
        if roots.key(key):
            root = roots.key(key)
            roots.stop(root, f"{{n}} undated event{{s}} bounded by {value!r} not bounded "
                       f"({{places}}): " + roots.why(root, f"event {value!r}"), event)
            return None, "", []
        guess = did_you_mean(value, _keys_of(events, item.scope))
        return None, "", [event.problem(name, f"{value!r} is neither a dated event key of this "
                                        "case nor an ISO date",
                                        f"did you mean {guess!r}?" if guess else "")]
    return (hand.earliest if name == "not_before" else hand.latest), value, []


def _date_events(events: list[ResolvedEvent], roots: Roots) -> list[Problem]:
    problems: list[Problem] = []
    # First the events dated by themselves, then those relative to an anchor, then bounds.
    plain = [e for e in events if not e.annotation.anchor]
    anchored = [e for e in events if e.annotation.anchor]
    for item in plain:
        event = item.annotation
        item.dating, found = _date_expression(item, event.date_text, event.date,
                                              event.date_note, "", None)
        problems += found
        if found:
            roots.left_out(event, found[0], item.case_id or "")
    same_source_bounds = {}
    for item in plain:
        if item.dating:
            same_source_bounds[(item.source.source_id, *item.scope, item.annotation.event_key)] = item.dating
    key_bounds = _key_bounds(plain)
    for item in anchored:
        event = item.annotation
        # The same source's date for the anchor first; else what all sources say of it.
        anchor = same_source_bounds.get((item.source.source_id, *item.scope, event.anchor))
        if anchor is None and (*item.scope, event.anchor) in key_bounds:
            lo, hi = key_bounds[(*item.scope, event.anchor)]
            anchor = Interval(lo, hi, "day", "anchor_across_sources", "")
        if anchor is None and roots.key((*item.scope, event.anchor)):
            root = roots.key((*item.scope, event.anchor))
            roots.stop(root, f"{{n}} event{{s}} anchored on {event.anchor!r} not dated "
                       f"({{places}}): " + roots.why(root, f"event {event.anchor!r}"), event)
            roots.left_out(event, root, item.case_id or "")
            continue
        if anchor is None:
            guess = did_you_mean(event.anchor, _keys_of(plain, item.scope))
            problems.append(event.problem("anchor", f"no dated event {event.anchor!r} in this "
                                          "case to anchor on",
                                          f"did you mean {guess!r}?" if guess else ""))
            continue
        item.dating, found = _date_expression(item, event.date_text, event.date,
                                              event.date_note, "", anchor)
        problems += found
        if found:
            roots.left_out(event, found[0], item.case_id or "")
    key_bounds = _key_bounds(events)
    attacks = _attack_bounds(events, conservative=False)
    for item in events:
        event = item.annotation
        if item.dating is not None or event.date_text or event.date:
            continue
        if event.anchor:
            continue
        attack = attacks.get(item.case_id) if item.case_id else None
        if event.type == "intrusion":  # it precedes the attack: bounded above by it
            earliest, lo_label, found = _bound(item, "not_before", key_bounds, None,
                                               "lower bound", roots, events)
            latest, hi_label, more = _bound(item, "not_after", key_bounds, attack, "attack",
                                            roots, events)
        else:
            earliest, lo_label, found = _bound(item, "not_before", key_bounds, attack, "attack",
                                               roots, events)
            latest, hi_label, more = _bound(item, "not_after", key_bounds,
                                            item.source.publication.latest, "publication",
                                            roots, events)
        problems += found + more
        if earliest is not None and latest is not None:
            if earliest > latest:
                problems.append(event.problem("not_after", f"bounds are inverted: not before "
                                              f"{_iso(earliest)} but not after {_iso(latest)}"))
                continue
            item.dating = Interval(earliest.astimezone(item.tz), latest.astimezone(item.tz),
                                 "undated", f"bounds:{lo_label}..{hi_label}", "")
    for item in events:
        deadline = item.annotation.deadline or {}
        if deadline.get("date_text") or deadline.get("date"):
            item.deadline, found = _date_expression(item, deadline.get("date_text"),
                                                    deadline.get("date"), deadline.get("date_note"),
                                                    "deadline.", item.dating)
            problems += found
    return problems
