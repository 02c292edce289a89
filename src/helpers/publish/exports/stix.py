"""The dataset as a STIX 2.1 bundle, built with the ``stix2`` library:
``python -m helpers export stix`` writes ``build/exports/hospital-ransomware-timelines-stix.json``.

The mapping (``docs/exports.md`` says what it keeps and loses):

- each **group** is an ``intrusion-set`` (its aliases kept);
- each **case** gives its victim as an ``identity`` (an organisation of the healthcare sector,
  ``located-at`` its city) and an ``incident``, ``targets`` the victim and ``attributed-to``
  each group the case is attributed to (the groups too ``target`` the victim); the incident
  carries the Incident Core extension (``determination`` and ``incident_types`` from the
  case's kind of attack, and its ``events``);
- each **event row** (one event as one source reports it) is an ``event`` object of the
  incident extension suite, dated by that source: ``start_time`` and ``end_time`` are the
  row's bounds in UTC, ``start_time_fidelity`` its precision. Sources that disagree give
  events with different times: the disagreement is kept, one dated observation per source.
  Group-level context (police actions, relaunches) is ``related-to`` its group;
- each **source** is a ``report`` (``published`` from its publication date) whose external
  reference carries its URL, outlet and title, and whose ``object_refs`` are the events it
  reports and what they concern.

Every id is a UUIDv5 of the object's stable id in the dataset, ``created`` is the day the
project received its first source and ``modified`` the release date of the version: the same
data gives the same bytes. :func:`check_bundle` parses the bundle with ``stix2`` and compares
it with the data package (one object per row: counts and ids).
"""
from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import stix2
from stix2 import v21
from stix2.properties import EnumProperty, ListProperty, StringProperty, TimestampProperty

from helpers.core.frames import load_dataset
from helpers.core.labels import span_label
from helpers.core.paths import PROCESSED_DIR
from helpers.core.vocab import INCIDENT_KINDS

from .common import (
    EVENT_LABELS,
    EXPORTS_DIR,
    STATUS_LABELS,
    ExportError,
    json_bytes,
    out_parser,
    package_info,
    run_cli,
    source_url,
    text,
    write_atomic,
)

# UUIDv5 namespace of every id: fixed, so that ids never depend on where the data lives.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL,
                       "https://github.com/hospital-ransomware-timelines/hospital-ransomware-timelines")
DATASET_REF = "hospital-ransomware-timelines"  # source_name of our own external references
INCIDENT_CORE = "extension-definition--ef765651-680c-498d-9894-99799f2fa126"
EVENT_SDO = "extension-definition--4ca6de00-5b0d-45ef-a1dc-ea7279ea910e"
FIDELITY = ("second", "minute", "hour", "day", "month", "year")
DEFAULT_TZ = "Europe/Paris"  # group-level events have no case; every case is in this zone
FILE_NAME = "hospital-ransomware-timelines-stix.json"

# The case's kind of attack, as the Incident Core extension words it.
DETERMINATION = {"ransomware": "confirmed", "data_extortion": "confirmed",
                 "ransom_ddos": "confirmed", "stopped_attack": "blocked",
                 "unconfirmed": "suspected"}
INCIDENT_TYPES = {"ransomware": ["ransomware"], "data_extortion": ["data-exfiltration"],
                  "ransom_ddos": ["denial-of-service"], "stopped_attack": ["blocked"],
                  "unconfirmed": ["undetermined"]}
# Event types of the extension's vocabulary where one fits; the dataset's own type is a label.
EVENT_TYPES = {"intrusion": ["unauthorized-access-system"], "leak": ["unauthorized-release"],
               "care_disruption": ["denial-of-service"]}
ATTACK_TYPES = {"ransomware": ["ransomware"], "data_extortion": ["data-exfiltration"],
                "ransom_ddos": ["denial-of-service"], "stopped_attack": ["blocked"],
                "unconfirmed": ["undetermined"]}
PRECISION_FIDELITY = {"minute": "minute", "hour": "hour", "part_of_day": "hour", "day": "day",
                      "week": "day", "month": "month", "year": "year"}


@v21.CustomObject("event", [
    ("status", EnumProperty(["ongoing", "occurred", "not-occurred", "pending", "undetermined"],
                            required=True)),
    ("name", StringProperty()),
    ("description", StringProperty()),
    ("event_types", ListProperty(StringProperty)),
    ("start_time", TimestampProperty()),
    ("start_time_fidelity", EnumProperty(FIDELITY)),
    ("end_time", TimestampProperty()),
    ("end_time_fidelity", EnumProperty(FIDELITY)),
], extension_name=EVENT_SDO)
class Event:
    """The ``event`` object of the STIX Incident Core extension suite (a new SDO)."""

    def __init__(self, start_time=None, end_time=None, **_):
        if start_time and end_time and end_time <= start_time:
            raise ValueError("an event's end_time must be later than its start_time")


def stix_id(kind: str, key: str) -> str:
    """A STIX id that depends only on the object's type and its stable id in the dataset."""
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}:{key}')}"


def _utc(value, tz: str) -> dt.datetime:
    local = pd.Timestamp(value).to_pydatetime().replace(tzinfo=ZoneInfo(tz))
    return local.astimezone(dt.timezone.utc)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)


def _published(source) -> tuple[dt.datetime, str]:
    """A report's ``published`` (UTC) and how it is known. A date without time is its noon in
    Paris (the dataset's convention); an unknown one is the day the project received it."""
    published = text(source.published)
    if "T" in published:
        moment = dt.datetime.fromisoformat(published)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(DEFAULT_TZ))
        return moment.astimezone(dt.timezone.utc), f"published {published}"
    if text(source.published_earliest_datetime):
        day = pd.Timestamp(source.published_earliest_datetime).date()
        note = {"approximate": f"published {published} (approximate)",
                "on_or_after": f"published on or after {published}"}.get(
            source.published_qualifier, f"published {published}")
    else:
        day = pd.Timestamp(source.received_date).date()
        note = (f"publication date unknown: 'published' holds the day the project received "
                f"the source ({day.isoformat()})")
    noon = dt.datetime.combine(day, dt.time(12), tzinfo=ZoneInfo(DEFAULT_TZ))
    return noon.astimezone(dt.timezone.utc), note


def _event_description(row, source, tz: str, disputed: bool) -> str:
    lines = [text(row.summary)]
    when = span_label(row.earliest_datetime, row.latest_datetime, row.date_precision)
    written = text(row.date_text)
    if row.date_precision == "undated":
        lines.append(f"The source gives no date; {when}, local time ({tz}).")
    else:
        lines.append(f"Dated {when}, local time ({tz}); precision: "
                     f"{row.date_precision.replace('_', ' ')}.")
    if written:
        lines.append(("Date as the source wrote it: " if row.is_date_text_verbatim else
                      "Date as the source gives it (the annotator's English rendering): ")
                     + f"\u201c{written}\u201d.")
    if disputed:
        lines.append("The sources disagree on when this happened: the events labelled "
                     "with the same event-key are the other sources' accounts.")
    if text(row.deadline_text) or text(row.deadline_iso):
        deadline = (span_label(row.deadline_earliest_datetime, row.deadline_latest_datetime,
                               row.deadline_precision) if text(row.deadline_earliest_datetime) else "")
        lines.append(f"Deadline: \u201c{text(row.deadline_text)}\u201d"
                     + (f" ({deadline})" if deadline else "") + ".")
    if text(row.ransom_amount):
        lines.append(f"Ransom stated: {float(row.ransom_amount):g} {text(row.ransom_currency)}.")
    if text(row.data_volume_gb):
        lines.append(f"Data volume stated: {float(row.data_volume_gb):g} GB.")
    lines.append(f"Who says so: {STATUS_LABELS[row.status]}. Source: {source.outlet}"
                 + (f", \u201c{text(source.title)}\u201d" if text(source.title) else "") + ".")
    if text(row.quote):
        lines.append(f"Evidence (verbatim): \u201c{row.quote}\u201d")
    elif text(row.paraphrase):
        lines.append(f"What the source says (paraphrased in English): {row.paraphrase}")
    return "\n".join(lines)


def _source_reference(source) -> dict:
    reference = {"source_name": str(source.outlet)}
    url = source_url(source.url)
    if url:
        reference["url"] = url
    description = text(source.title) or text(source.url_note) or "no title recorded"
    reference["description"] = description
    return reference


def _own_reference(key: str) -> dict:
    return {"source_name": DATASET_REF, "external_id": key}


def build_bundle(data=None, processed_dir: Path = PROCESSED_DIR) -> stix2.Bundle:
    """The STIX 2.1 bundle of the whole dataset (deterministic: same data, same bundle)."""
    data = data if data is not None else load_dataset(processed_dir)
    info = package_info(processed_dir)
    created = _midnight(pd.Timestamp(data.sources.received_date.min()).date())
    modified = _midnight(info.released)
    if modified < created:
        raise ExportError(f"release date {info.released} is before the first source was "
                          f"received ({created.date()})")
    stamp = {"created": created, "modified": modified}

    producer = stix2.Identity(
        id=stix_id("identity", "producer"), name=f"{info.title} contributors",
        identity_class="group",
        description=f"Producer of the dataset {info.title} {info.version} ({info.homepage}).",
        **stamp)
    marking = stix2.MarkingDefinition(
        id=stix_id("marking-definition", "licence"), created=created,
        created_by_ref=producer.id, definition_type="statement",
        definition={"statement": f"{info.title} {info.version}: {info.license_title} "
                                 f"({info.license_name}, {info.license_url}). Quotes are short "
                                 "verbatim extracts kept as evidence; the articles remain "
                                 "their publishers' property."})
    common = {**stamp, "created_by_ref": producer.id,
              "object_marking_refs": [stix2.TLP_WHITE.id, marking.id]}
    objects: list = [producer, stix2.TLP_WHITE, marking]

    sources = {s.source_id: s for s in data.sources.itertuples(index=False)}
    cases = {c.case_id: c for c in data.cases.itertuples(index=False)}
    groups = {}
    for group in data.groups.itertuples(index=False):
        aliases = list(data.group_aliases.alias[data.group_aliases.group_id == group.group_id])
        groups[group.group_id] = stix2.IntrusionSet(
            id=stix_id("intrusion-set", group.group_id), name=group.name,
            aliases=aliases or None,
            description=f"Ransomware or extortion group named {group.name} in the dataset.",
            external_references=[_own_reference(f"group:{group.group_id}")], **common)
    objects += [groups[g] for g in sorted(groups)]

    events = data.events.sort_values(["earliest_datetime", "event_id"], kind="stable")
    # Real-world events whose dated sources share no moment: each source's event says so.
    # (Group-level context has no case in the event rows: it is keyed by "".)
    disputed = {("" if r.is_context else r.case_id, r.event_key)
                for r in data.case_timeline.itertuples(index=False) if r.is_disputed}
    locations, victims, incidents, relationships = {}, {}, {}, []
    event_objects = []
    events_of_case = defaultdict(list)
    refs_of_source = defaultdict(set)

    def relate(source_ref, kind, target_ref, description=None):
        relationships.append(stix2.Relationship(
            id=stix_id("relationship", f"{source_ref}:{kind}:{target_ref}"),
            relationship_type=kind, source_ref=source_ref, target_ref=target_ref,
            description=description, **common))

    for row in events.itertuples(index=False):
        source = sources[row.source_id]
        case = cases.get(text(row.case_id))
        tz = case.timezone if case is not None else DEFAULT_TZ
        kind = case.incident_kind if case is not None else None
        event_types = (ATTACK_TYPES[kind] if row.event_type == "attack" and kind
                       else EVENT_TYPES.get(row.event_type))
        timing = {}
        if row.date_precision != "undated":
            start, end = _utc(row.earliest_datetime, tz), _utc(row.latest_datetime, tz)
            fidelity = PRECISION_FIDELITY[row.date_precision]
            if fidelity == "month" and pd.Timestamp(row.earliest_datetime).day != 1:
                fidelity = "day"  # part of a month ("mi-avril"): its bounds are days
            timing = {"start_time": start, "start_time_fidelity": fidelity}
            if end > start:
                timing |= {"end_time": end, "end_time_fidelity": "second"}
        where = case.short_name if case is not None else groups[row.group_id].name
        event = Event(
            id=stix_id("event", row.event_id), status="occurred",
            name=f"{EVENT_LABELS[row.event_type]}: {where} ({source.outlet})",
            description=_event_description(row, source, tz, (text(row.case_id), row.event_key)
                                           in disputed),
            event_types=event_types,
            labels=[f"event-type:{row.event_type}", f"status:{row.status}",
                    f"date-precision:{row.date_precision}",
                    f"event-key:{text(row.case_id) or text(row.group_id)}/{row.event_key}"]
            + (["disputed"] if (text(row.case_id), row.event_key) in disputed else []),
            external_references=[_own_reference(f"event:{row.event_id}"),
                                 _source_reference(source)],
            **timing, **common)
        event_objects.append(event)
        refs_of_source[row.source_id].add(event.id)
        if case is not None:
            events_of_case[case.case_id].append(event.id)
        for group_id in {text(row.actor), text(row.target), text(row.group_id)} - {""}:
            refs_of_source[row.source_id].add(groups[group_id].id)
        if row.is_context:
            relate(event.id, "related-to", groups[row.group_id].id,
                   f"{EVENT_LABELS[row.event_type]} concerning {groups[row.group_id].name} "
                   "(group-level context of every case of the group).")

    actors = defaultdict(list)  # (case, group) -> sources that name the group
    for row in data.events.itertuples(index=False):
        if text(row.case_id) and text(row.actor):
            actors[(row.case_id, row.actor)].append(
                f"{sources[row.source_id].outlet} ({STATUS_LABELS[row.status]})")

    for case_id in sorted(cases):
        case = cases[case_id]
        place = text(case.city)
        location_key = f"{case.country_code}:{place}" if place != "several sites" else \
            case.country_code
        if location_key not in locations:
            extra = {"city": place} if place != "several sites" else {}
            locations[location_key] = stix2.Location(
                id=stix_id("location", location_key), country=case.country_code,
                name=place if extra else case.country_code, **extra, **common)
        victim = stix2.Identity(
            id=stix_id("identity", f"victim:{case_id}"), name=case.victim,
            identity_class="organization", sectors=["healthcare"],
            description=f"{case.facility_kind.replace('_', ' ').capitalize()} in {place} "
                        f"({case.country_code}), victim in case {case_id}.",
            external_references=[_own_reference(f"case:{case_id}")], **common)
        victims[case_id] = victim
        case_groups = data.groups_of(case_id)
        stages = data.case_stages[(data.case_stages.case_id == case_id)
                                  & (data.case_stages.stage == "attack")]
        attack = (span_label(stages.earliest_datetime.iloc[0], stages.latest_datetime.iloc[0],
                             stages.date_precision.iloc[0])
                  if len(stages) and bool(stages.is_dated.iloc[0]) else "not dated")
        year = pd.Timestamp(stages.best_date.iloc[0]).year if attack != "not dated" else ""
        incident = stix2.Incident(
            id=stix_id("incident", case_id), name=f"{case.short_name} {year}".strip(),
            description=(f"Attack on {case.victim} ({place}): {INCIDENT_KINDS[case.incident_kind]} "
                         f"Attack dated {attack} (best date across the sources). "
                         + (f"Attributed to {', '.join(groups[g].name for g in case_groups)}. "
                            if case_groups else "No source attributes it. ")
                         + f"{case.n_events} event rows from {case.n_sources} sources; "
                         "each event object is one source's dated account."),
            external_references=[_own_reference(f"case:{case_id}")],
            extensions={INCIDENT_CORE: {
                "extension_type": "property-extension",
                "determination": DETERMINATION[case.incident_kind],
                "investigation_status": "unknown",
                "incident_types": INCIDENT_TYPES[case.incident_kind],
                "events": [{"event_ref": ref} for ref in events_of_case[case_id]],
            }}, **common)
        incidents[case_id] = incident
        relate(incident.id, "targets", victim.id)
        relate(incident.id, "located-at", locations[location_key].id)
        relate(victim.id, "located-at", locations[location_key].id)
        for group_id in case_groups:
            said = actors.get((case_id, group_id), [])
            relate(incident.id, "attributed-to", groups[group_id].id,
                   f"Named by {len(said)} event row(s): {'; '.join(sorted(set(said)))}."
                   if said else "Attribution recorded on the case.")
            relate(groups[group_id].id, "targets", victim.id)
        for row in data.events[data.events.case_id == case_id].itertuples(index=False):
            refs_of_source[row.source_id] |= {incident.id, victim.id}

    reports = []
    for source_id in sorted(sources):
        source = sources[source_id]
        published, how = _published(source)
        refs = sorted(refs_of_source[source_id]) or [producer.id]
        name = text(source.title) or f"{source.outlet}, {text(source.published) or 'undated'}"
        reports.append(stix2.Report(
            id=stix_id("report", source_id), name=name, published=published,
            report_types=["threat-report"], object_refs=refs,
            description=(f"{source.outlet}, {how}. Language: {source.language}. "
                         + ("Text stored by the project; events quote it verbatim. "
                            if source.has_text else
                            "Citation only: events paraphrase it in English. ")
                         + f"Rights: {source.rights}"
                         + ("" if refs_of_source[source_id] else
                            " The dataset records no event from this source.")),
            labels=[f"published:{source.published_qualifier}"],
            external_references=[_source_reference(source), _own_reference(f"source:{source_id}")],
            **common))

    objects += [locations[k] for k in sorted(locations)]
    objects += [victims[c] for c in sorted(victims)]
    objects += [incidents[c] for c in sorted(incidents)]
    objects += event_objects + reports
    objects += sorted(relationships, key=lambda r: r.id)
    return stix2.Bundle(id=stix_id("bundle", f"{info.name}:{info.version}"), objects=objects)


def bundle_bytes(bundle: stix2.Bundle) -> bytes:
    return json_bytes(json.loads(bundle.serialize()))


def check_bundle(payload: bytes | str | dict, data=None) -> dict:
    """Parse the bundle with stix2 (no custom content allowed) and compare it with the data
    package: one identity and one incident per case, one intrusion set per group, one report
    per source, one event per event row, ids matching. Returns the counts by type."""
    data = data if data is not None else load_dataset()
    bundle = stix2.parse(payload, allow_custom=False)
    by_type = defaultdict(list)
    for obj in bundle.objects:
        by_type[obj["type"]].append(obj)
    ids = {obj["id"] for obj in bundle.objects}
    if len(ids) != len(bundle.objects):
        raise ExportError("the bundle holds the same id twice")

    def own(obj, prefix):
        return sorted(ref["external_id"][len(prefix):] for ref in obj.get(
            "external_references", []) if ref["source_name"] == DATASET_REF
            and ref["external_id"].startswith(prefix))

    expected = {
        "event": ("event:", sorted(data.events.event_id)),
        "report": ("source:", sorted(data.sources.source_id)),
        "incident": ("case:", sorted(data.cases.case_id)),
        "intrusion-set": ("group:", sorted(data.groups.group_id)),
    }
    for kind, (prefix, wanted) in expected.items():
        found = sorted(i for obj in by_type[kind] for i in own(obj, prefix))
        if found != wanted:
            raise ExportError(f"{kind} objects do not match the package: "
                              f"{sorted(set(found) ^ set(wanted))[:5]}")
    victims = [o for o in by_type["identity"] if o.get("identity_class") == "organization"]
    if sorted(i for o in victims for i in own(o, "case:")) != sorted(data.cases.case_id):
        raise ExportError("victim identities do not match the cases")
    for obj in bundle.objects:
        for key in ("source_ref", "target_ref", "created_by_ref"):
            if key in obj and obj[key] not in ids:
                raise ExportError(f"{obj['id']}: {key} {obj[key]} is not in the bundle")
        for ref in obj.get("object_refs", []):
            if ref not in ids:
                raise ExportError(f"{obj['id']}: object_ref {ref} is not in the bundle")
    case_events = data.events[data.events.case_id.notna()]
    listed = sum(len(o["extensions"][INCIDENT_CORE]["events"]) for o in by_type["incident"])
    if listed != len(case_events):
        raise ExportError(f"incidents list {listed} events, the cases have {len(case_events)}")
    attributions = len(data.case_groups)
    found = sum(1 for r in by_type["relationship"] if r["relationship_type"] == "attributed-to")
    if found != attributions:
        raise ExportError(f"{found} attributed-to relationships, the cases name {attributions}")
    return {kind: len(objs) for kind, objs in sorted(by_type.items())}


def export(out_dir: Path = EXPORTS_DIR, processed_dir: Path = PROCESSED_DIR) -> Path:
    """Write the bundle to `out_dir`, after checking it against the package; returns its path."""
    data = load_dataset(processed_dir)
    payload = bundle_bytes(build_bundle(data, processed_dir))
    check_bundle(payload, data)
    return write_atomic(Path(out_dir) / FILE_NAME, payload)


def main(argv=None) -> int:
    parser = out_parser("python -m helpers export stix",
                        "Write the dataset as a STIX 2.1 bundle.", EXPORTS_DIR, "build/exports")
    return run_cli(parser, argv, lambda args: [export(args.out)])

