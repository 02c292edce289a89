"""The STIX 2.1 bundle (helpers.publish.exports.stix): valid under stix2's parser, one object per
row of the package (counts and ids), the same bytes for the same data, disagreement between
sources kept, quotes as in the dataset, no personal data."""
from __future__ import annotations

import json
import subprocess
import sys
import uuid

import pytest

from helpers.core.frames import load_dataset
from helpers.publish.exports import stix
from helpers.publish.exports.common import ExportError

DATA = load_dataset()
BLUETS, CANNES = "les-bluets-2022", "cannes-2024"


# --- STIX 2.1 ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("stix")
    path = stix.export(out)
    return path.read_bytes()


def _objects(payload, kind=None):
    objects = json.loads(payload)["objects"]
    return [o for o in objects if kind is None or o["type"] == kind]


def _own_id(obj, prefix):
    return next(r["external_id"][len(prefix):] for r in obj["external_references"]
                if r["source_name"] == stix.DATASET_REF and r["external_id"].startswith(prefix))


def test_bundle_is_valid_and_matches_the_package(bundle):
    counts = stix.check_bundle(bundle, DATA)
    assert counts["incident"] == len(DATA.cases)
    assert counts["intrusion-set"] == len(DATA.groups)
    assert counts["report"] == len(DATA.sources)
    assert counts["event"] == len(DATA.events)
    assert counts["identity"] == len(DATA.cases) + 1  # the victims and the producer


def test_same_data_same_bytes(bundle, tmp_path):
    assert stix.export(tmp_path).read_bytes() == bundle
    incident = next(o for o in _objects(bundle, "incident") if _own_id(o, "case:") == CANNES)
    assert incident["id"] == "incident--" + str(uuid.uuid5(stix.NAMESPACE, f"incident:{CANNES}"))


def _mentions_event(obj) -> bool:
    return obj["type"] == "event" or any(
        "event--" in json.dumps(v) for k, v in obj.items() if k.endswith(("_ref", "_refs")))


def test_plain_stix2_parses_the_bundle(bundle, tmp_path):
    """With stix2 alone (no class of ours registered), the bundle parses with
    allow_custom=True: stix2 has no built-in class for the extension's `event` objects.
    Every object that neither is nor references an event parses with custom content refused.
    (check_bundle parses it all with allow_custom=False, `event` registered.)"""
    path = tmp_path / "bundle.json"
    path.write_bytes(bundle)
    code = ("import json, stix2, sys\n"
            "text = open(sys.argv[1], encoding='utf-8').read()\n"
            "def mentions(o):\n"
            "    return o['type'] == 'event' or any('event--' in json.dumps(v)\n"
            "        for k, v in o.items() if k.endswith(('_ref', '_refs')))\n"
            "strict = [stix2.parse(o, allow_custom=False) for o in json.loads(text)['objects']\n"
            "          if not mentions(o)]\n"
            "print(len(strict), len(stix2.parse(text, allow_custom=True).objects))\n")
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    strict, total = map(int, result.stdout.split())
    objects = _objects(bundle)
    assert total == len(objects)
    assert strict == sum(not _mentions_event(o) for o in objects) > len(DATA.cases) * 2


def test_incidents_carry_the_incident_core_extension(bundle):
    events = {o["id"]: o for o in _objects(bundle, "event")}
    for incident in _objects(bundle, "incident"):
        case_id = _own_id(incident, "case:")
        core = incident["extensions"][stix.INCIDENT_CORE]
        assert core["extension_type"] == "property-extension"
        kind = DATA.cases.set_index("case_id").loc[case_id, "incident_kind"]
        assert core["determination"] == stix.DETERMINATION[kind]
        listed = [events[e["event_ref"]] for e in core["events"]]
        assert sorted(_own_id(e, "event:") for e in listed) == sorted(
            DATA.events[DATA.events.case_id == case_id].event_id)
    for event in events.values():
        assert event["extensions"] == {stix.EVENT_SDO: {"extension_type": "new-sdo"}}


def test_relationships_attribute_and_target(bundle):
    by_id = {o["id"]: o for o in _objects(bundle)}
    relations = _objects(bundle, "relationship")
    attributed = {(_own_id(by_id[r["source_ref"]], "case:"),
                   _own_id(by_id[r["target_ref"]], "group:"))
                  for r in relations if r["relationship_type"] == "attributed-to"}
    assert attributed == set(zip(DATA.case_groups.case_id, DATA.case_groups.group_id))
    targets = [r for r in relations if r["relationship_type"] == "targets"
               and r["source_ref"].startswith("incident--")]
    assert len(targets) == len(DATA.cases)
    assert all(by_id[r["target_ref"]]["identity_class"] == "organization" for r in targets)


def test_disagreement_is_kept_one_dated_event_per_source(bundle):
    """Les Bluets' claim: sources date it 18 and 20 October 2022; both dates are in the bundle,
    each on its own source's event, grouped by the real-world event's key."""
    claims = DATA.events[(DATA.events.case_id == BLUETS) & (DATA.events.event_type == "claim")
                         & (DATA.events.date_precision != "undated")]
    events = {_own_id(o, "event:"): o for o in _objects(bundle, "event")}
    starts = set()
    for row in claims.itertuples():
        event = events[row.event_id]
        assert event["start_time_fidelity"] in stix.FIDELITY
        assert f"event-key:{BLUETS}/{row.event_key}" in event["labels"]
        starts.add(event["start_time"][:10])
    assert len(starts) > 1  # 18 and 20 October, local days, start in UTC the evening before


def test_reports_reference_their_source(bundle):
    sources = DATA.sources.set_index("source_id")
    for report in _objects(bundle, "report"):
        source_id = _own_id(report, "source:")
        outlet_ref = report["external_references"][0]
        assert outlet_ref["source_name"] == sources.loc[source_id, "outlet"]
        url = sources.loc[source_id, "url"]
        assert outlet_ref.get("url") == (None if str(url) in ("<NA>", "nan") else url)
        assert report["published"].endswith("Z") and report["object_refs"]


def test_quotes_stay_as_they_are_and_no_personal_data(bundle):
    text = bundle.decode("utf-8")
    events = {_own_id(o, "event:"): o for o in _objects(bundle, "event")}
    for row in DATA.events[DATA.events.quote.notna()].itertuples():
        assert f"\u201c{row.quote}\u201d" in events[row.event_id]["description"]
    for author in DATA.sources.author.dropna().unique():
        assert author not in text, f"author name {author!r} in the bundle"
    assert ".onion" not in text


def test_check_bundle_finds_a_missing_event(bundle):
    payload = json.loads(bundle)
    gone = next(o for o in payload["objects"] if o["type"] == "event")
    payload["objects"] = [o for o in payload["objects"] if o is not gone]
    with pytest.raises(ExportError):
        stix.check_bundle(payload, DATA)
