"""Synthetic datasets in the loader's table format, for tests and benchmarks.

`synthetic_dataset(n)` makes `n` plausible cases (with sources that disagree, imprecise and
undated dates, ultimatums and police actions). `event_record`, `events_frame` and
`cases_frame` build small hand-written tables with the loader's columns and dtypes.
"""
from __future__ import annotations

import random
from typing import NamedTuple

import pandas as pd

from .vocab import GROUP_EVENT_TYPES

EVENT_COLUMNS = [
    "event_id", "case_id", "event_type", "event_key", "source_id", "outlet", "date_text",
    "event_date", "date_earliest", "date_latest", "date_precision", "date_method",
    "date_value", "deadline_text", "deadline_date", "deadline_earliest", "deadline_latest",
    "deadline_precision", "quote", "paraphrase", "actor", "target", "data_volume_gb",
    "status", "summary", "is_context", "group_id",
]
DATETIME_COLUMNS = ["date_earliest", "date_latest", "deadline_earliest", "deadline_latest"]
CASE_COLUMNS = ["case_id", "victim", "facility_kind", "city", "country_code", "groups",
                "timezone"]
SOURCE_COLUMNS = ["source_id", "outlet", "url", "published"]

SECOND = pd.Timedelta(seconds=1)

# TIMEX3 part-of-day codes -> (start hour, length in hours); NI runs into the next day.
PARTS_OF_DAY = {"MO": (6, 6), "AF": (12, 6), "EV": (18, 6), "NI": (22, 8), "EM": (4, 4)}


class SyntheticDataset(NamedTuple):
    """The tables a figure or a summary reads, the derived ones included."""

    events: pd.DataFrame
    cases: pd.DataFrame
    sources: pd.DataFrame
    groups: pd.DataFrame
    case_timeline: pd.DataFrame
    case_stages: pd.DataFrame
    delays: pd.DataFrame

    def events_with_outlets(self) -> pd.DataFrame:
        return self.events


def dataset_of(events: pd.DataFrame, cases: pd.DataFrame,
               sources: pd.DataFrame) -> SyntheticDataset:
    """Complete hand-written or generated tables with their groups and derived tables."""
    from .datapackage import render_outputs
    from .dataset import parse_table
    from .derive import case_groups, derive

    names = sorted({g for groups in case_groups(cases).values() for g in groups}
                   | set(events.group_id.dropna()))
    groups = pd.DataFrame({"group_id": names, "name": [n.replace("-", " ").title()
                                                       for n in names],
                           "aliases": [None] * len(names)}).astype("string")
    # Through CSV and back, so that the derived tables have the types a reader gets.
    published = render_outputs(derive(events, cases), None, include_metadata=False)
    derived = {name: parse_table(name, published[f"{name}.csv"])
               for name in ("case_timeline", "case_stages", "delays")}
    return SyntheticDataset(events, cases, sources, groups, **derived)


def bounds(value: str, precision: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Inclusive bounds of an ISO/TIMEX3 value at a precision.

    "2022-10-09"/day, "2024-04"/month, "2022"/year, "2024-W18"/week, "2024-05-02T00:00"/minute,
    "2024-02-19T22"/hour, "2022-10-09TNI"/part_of_day (MO, AF, EV, NI, EM).
    """
    if precision == "part_of_day":
        day, code = value[:10], value[11:]
        start_hour, hours = PARTS_OF_DAY[code]
        start = pd.Timestamp(day) + pd.Timedelta(hours=start_hour)
        return start, start + pd.Timedelta(hours=hours) - SECOND
    if precision == "week":
        start = pd.Timestamp.fromisocalendar(int(value[:4]), int(value[6:8]), 1)
        return start, start + pd.Timedelta(days=7) - SECOND
    if precision == "hour":
        start = pd.Timestamp(value + ":00")
        return start, start + pd.Timedelta(hours=1) - SECOND
    start = pd.Timestamp(value)
    step = {"minute": pd.Timedelta(minutes=1), "day": pd.Timedelta(days=1),
            "month": pd.DateOffset(months=1), "year": pd.DateOffset(years=1)}[precision]
    return start, start + step - SECOND


def event_record(event_id: str, case_id: str | None, event_type: str, event_key: str,
                 source_id: str, outlet: str, *, date: str | None = None,
                 precision: str = "day", earliest=None, latest=None,
                 date_text: str | None = None, deadline: str | None = None,
                 deadline_precision: str = "day", deadline_text: str | None = None,
                 quote: str | None = None, paraphrase: str | None = None,
                 summary: str = "", actor: str | None = None, target: str | None = None,
                 status: str = "reported_by_outlet", data_volume_gb: float | None = None,
                 ) -> dict:
    """One events row. Bounds come from `date` + `precision` unless given explicitly
    (undated rows give earliest/latest and no date)."""
    value = date
    if date is not None and earliest is None:
        earliest, latest = bounds(date, precision)
    event_date = date[:10] if date and precision == "part_of_day" else date
    dl_lo = dl_hi = None
    if deadline is not None:
        dl_lo, dl_hi = bounds(deadline, deadline_precision)
    return {
        "event_id": event_id, "case_id": case_id, "event_type": event_type,
        "event_key": event_key, "source_id": source_id, "outlet": outlet,
        "date_text": date_text, "event_date": event_date,
        "date_earliest": pd.Timestamp(earliest) if earliest is not None else None,
        "date_latest": pd.Timestamp(latest) if latest is not None else None,
        "date_precision": precision if date is not None else "undated",
        "date_method": "synthetic", "date_value": value or "XXXX-XX-XX",
        "deadline_text": deadline_text, "deadline_date": deadline,
        "deadline_earliest": dl_lo, "deadline_latest": dl_hi,
        "deadline_precision": deadline_precision if deadline is not None else None,
        "quote": quote, "paraphrase": paraphrase, "actor": actor, "target": target,
        "data_volume_gb": data_volume_gb, "status": status, "summary": summary,
        "is_context": event_type in GROUP_EVENT_TYPES,
        "group_id": (actor if event_type == "relaunch" else target)
        if event_type in GROUP_EVENT_TYPES else None,
    }


def events_frame(records: list[dict]) -> pd.DataFrame:
    """Events table with the loader's columns and dtypes."""
    frame = pd.DataFrame.from_records(records, columns=EVENT_COLUMNS)
    for column in EVENT_COLUMNS:
        if column in DATETIME_COLUMNS:
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
        elif column == "data_volume_gb":
            frame[column] = frame[column].astype("float64")
        elif column == "is_context":
            frame[column] = frame[column].astype(bool)
        else:
            frame[column] = frame[column].astype("string")
    return frame


def cases_frame(records: list[dict]) -> pd.DataFrame:
    """Cases table; `groups` may be given as a list."""
    rows = [{**r, "groups": ";".join(r["groups"]) if isinstance(r["groups"], (list, tuple))
             else r["groups"]} for r in records]
    frame = pd.DataFrame.from_records(rows)
    for column in CASE_COLUMNS:
        if column not in frame:
            frame[column] = {"country_code": "FR", "timezone": "Europe/Paris"}.get(column)
    return frame[CASE_COLUMNS + [c for c in frame if c not in CASE_COLUMNS]].astype("string")


# --- random generator -------------------------------------------------------------------

GROUPS = ["lockbit", "vice-society", "rhysida", "medusa", "bianlian", "qilin"]
OUTLETS = ["LeMagIT", "Numerama", "Franceinfo", "ZDNet", "BFM", "Ouest-France",
           "L'Informaticien", "Cybernews", "Le Parisien", "20 Minutes"]
CITIES = ["Rennes", "Lyon", "Lille", "Brest", "Dax", "Arles", "Albi", "Caen", "Metz", "Pau"]
KINDS = ["hospital", "maternity_hospital", "university_hospital", "hospital_group"]
MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre"]
PARTS_FR = {"MO": "au matin", "AF": "dans l'après-midi", "EV": "dans la soirée",
            "NI": "dans la nuit", "EM": "au petit matin"}


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def _dated(rng: random.Random, day: pd.Timestamp) -> dict:
    """A source's rendering of `day` at a random precision."""
    precision = rng.choices(["day", "part_of_day", "hour", "minute", "week", "month"],
                            [60, 15, 8, 7, 5, 5])[0]
    text = f"le {day.day} {MONTHS_FR[day.month - 1]}"
    if precision == "part_of_day":
        code = rng.choice(list(PARTS_FR))
        return {"date": f"{day:%Y-%m-%d}T{code}", "precision": precision,
                "date_text": f"{text} {PARTS_FR[code]}"}
    if precision == "hour":
        hour = rng.randrange(24)
        return {"date": f"{day:%Y-%m-%d}T{hour:02d}", "precision": precision,
                "date_text": f"{text} vers {hour}h"}
    if precision == "minute":
        hour, minute = rng.randrange(24), rng.randrange(60)
        return {"date": f"{day:%Y-%m-%d}T{hour:02d}:{minute:02d}", "precision": precision,
                "date_text": f"{text} à {hour}h{minute:02d}"}
    if precision == "week":
        year, week, _ = day.isocalendar()
        return {"date": f"{year}-W{week:02d}", "precision": precision,
                "date_text": "la semaine dernière"}
    if precision == "month":
        return {"date": f"{day:%Y-%m}", "precision": precision,
                "date_text": f"en {MONTHS_FR[day.month - 1]}"}
    return {"date": f"{day:%Y-%m-%d}", "precision": "day", "date_text": text}


def synthetic_dataset(n_cases: int = 30, *, seed: int = 0, start: str = "2020-01-01",
                      end: str = "2025-06-30", police_actions: bool = True,
                      disagreement: float = 0.3) -> SyntheticDataset:
    """`n_cases` random but plausible cases, deterministic for a seed."""
    rng = random.Random(seed)
    t0, span = pd.Timestamp(start), (pd.Timestamp(end) - pd.Timestamp(start)).days
    cases, records, published, outlet_of = [], [], {}, {}

    def report(case_id, event_type, key, day, n_sources, outlets, **extra):
        """Rows of `n_sources` sources for one real-world event; some disagree."""
        for k in range(n_sources):
            outlet = outlets[k % len(outlets)]
            source_id = f"{_slug(outlet)}-{case_id}"
            shifted = day
            if k and rng.random() < disagreement:
                shifted = day + pd.Timedelta(days=rng.choice([-2, -1, 1, 2]))
            event_id = f"{source_id}-{key}"
            if rng.random() < 0.04:  # an undated mention: bounds only
                date = {"earliest": attack_day, "latest": shifted + pd.Timedelta(days=3)}
            else:
                date = _dated(rng, shifted)
            records.append(event_record(
                event_id, case_id, event_type, key, source_id, outlet, **date,
                quote=f"Citation synthétique ({event_type}, {outlet}).",
                summary=f"Synthetic {event_type.replace('_', ' ')} for {case_id}.",
                **extra))
            published[source_id] = max(published.get(source_id, shifted), shifted)
            outlet_of[source_id] = outlet

    for i in range(n_cases):
        attack_day = t0 + pd.Timedelta(days=rng.randrange(span))
        case_id = f"synthetic-{i + 1:02d}-{attack_day.year}"
        group = rng.choice(GROUPS)
        city = rng.choice(CITIES)
        cases.append({"case_id": case_id, "victim": f"Centre hospitalier de {city} ({i + 1})",
                      "facility_kind": rng.choice(KINDS), "city": city,
                      "country_code": "FR", "groups": group, "timezone": "Europe/Paris"})
        outlets = rng.sample(OUTLETS, 4)
        n = lambda: rng.choice([1, 1, 2, 2, 3])  # noqa: E731 - sources per event
        report(case_id, "attack", "attack", attack_day, n(), outlets)
        report(case_id, "disclosure", "disclosure",
               attack_day + pd.Timedelta(days=rng.randrange(4)), n(), outlets,
               status="stated_by_victim")
        if rng.random() < 0.5:
            report(case_id, "complaint", "complaint",
                   attack_day + pd.Timedelta(days=rng.randrange(1, 6)), 1, outlets)
        if rng.random() < 0.4:
            report(case_id, "investigation", "investigation",
                   attack_day + pd.Timedelta(days=rng.randrange(1, 8)), 1, outlets)
        if rng.random() < 0.3:
            report(case_id, "ransom_demand", "ransom-demand",
                   attack_day + pd.Timedelta(days=rng.randrange(0, 5)), 1, outlets)
        if rng.random() < 0.85:
            claim_day = attack_day + pd.Timedelta(days=rng.randrange(3, 21))
            report(case_id, "claim", "claim", claim_day, n(), outlets,
                   status="claimed_by_attackers", actor=group)
            deadline_day = claim_day + pd.Timedelta(days=rng.randrange(5, 13))
            if rng.random() < 0.7:
                report(case_id, "ultimatum", "ultimatum", claim_day, 1, outlets,
                       status="claimed_by_attackers", actor=group,
                       deadline=f"{deadline_day:%Y-%m-%d}",
                       deadline_text=f"le {deadline_day.day} {MONTHS_FR[deadline_day.month - 1]}")
            if rng.random() < 0.75:
                report(case_id, "leak", "leak",
                       deadline_day + pd.Timedelta(days=rng.randrange(-1, 4)), n(), outlets,
                       status="claimed_by_attackers", actor=group,
                       data_volume_gb=float(rng.randrange(5, 500)))

    if police_actions:
        for group in sorted({c["groups"] for c in cases}):
            for k in range(rng.randrange(0, 3)):
                day = t0 + pd.Timedelta(days=rng.randrange(span))
                source_id = f"europol-{group}-{k + 1}"
                records.append(event_record(
                    f"{source_id}-action", None, "police_action", f"{group}-operation-{k + 1}",
                    source_id, "Europol", date=f"{day:%Y-%m-%d}", target=group,
                    date_text=f"le {day.day} {MONTHS_FR[day.month - 1]}",
                    summary=f"Synthetic police operation against {group}.",
                    status="confirmed_by_authorities"))
                published[source_id] = day
                outlet_of[source_id] = "Europol"

    sources = pd.DataFrame(
        [{"source_id": s, "outlet": outlet_of[s], "url": None,
          "published": f"{(day + pd.Timedelta(days=1)):%Y-%m-%d}"}
         for s, day in sorted(published.items())], columns=SOURCE_COLUMNS)
    return dataset_of(events_frame(records), cases_frame(cases), sources)


# --- the worked examples ---------------------------------------------------------

def example_tables() -> SyntheticDataset:
    """Les Bluets 2022 and Cannes 2024 as described in the timeline issue, hand-coded.

    For tests and demos of the figures and metrics only: the dataset itself is built from
    data/raw. Dates and outlets follow the issue; texts are short paraphrases, not quotes.
    """
    e = event_record
    lb, cn = "les-bluets-2022", "cannes-2024"
    rows = [
        # Les Bluets: the attack by day, and "dans la nuit du dimanche 9 octobre".
        e("lb-numerama-attack", lb, "attack", "attack", "numerama-2022-les-bluets", "Numerama",
          date="2022-10-09", date_text="le 9 octobre", status="stated_by_victim",
          paraphrase="The maternity hospital was hit by a cyberattack on 9 October.",
          summary="Cyberattack on the maternity hospital."),
        e("lb-linformaticien-attack", lb, "attack", "attack", "linformaticien-2022-les-bluets",
          "L'Informaticien", date="2022-10-09TNI", precision="part_of_day",
          date_text="dans la nuit du dimanche 9 octobre", status="stated_by_victim",
          paraphrase="The attack happened during the night of Sunday 9 October.",
          summary="Cyberattack on the maternity hospital."),
        e("lb-linformaticien-disclosure", lb, "disclosure", "disclosure",
          "linformaticien-2022-les-bluets", "L'Informaticien", date="2022-10-17",
          date_text="le 17 octobre", status="stated_by_victim",
          paraphrase="The hospital announced the attack on 17 October.",
          summary="The hospital discloses the attack."),
        e("lb-numerama-claim", lb, "claim", "claim", "numerama-2022-les-bluets", "Numerama",
          date="2022-10-18", date_text="le 18 octobre", status="claimed_by_attackers",
          actor="vice-society", paraphrase="Vice Society listed the hospital on 18 October.",
          summary="Vice Society claims the attack."),
        e("lb-linformaticien-claim", lb, "claim", "claim", "linformaticien-2022-les-bluets",
          "L'Informaticien", date="2022-10-20", date_text="le 20 octobre",
          status="claimed_by_attackers", actor="vice-society",
          paraphrase="Vice Society claimed the attack on 20 October.",
          summary="Vice Society claims the attack."),
        e("lb-lemagit-claim", lb, "claim", "claim", "lemagit-2022-les-bluets", "LeMagIT",
          date="2022-10-20TEM", precision="part_of_day", date_text="au petit matin",
          status="claimed_by_attackers", actor="vice-society",
          paraphrase="The claim appeared early in the morning of 20 October.",
          summary="Vice Society claims the attack."),
        e("lb-lemagit-ultimatum", lb, "ultimatum", "ultimatum", "lemagit-2022-les-bluets",
          "LeMagIT", date="2022-10-20TEM", precision="part_of_day", date_text="au petit matin",
          deadline="2022-10-25", deadline_text="le 25 octobre",
          status="claimed_by_attackers", actor="vice-society",
          paraphrase="With the claim, the group set a deadline of 25 October.",
          summary="Vice Society threatens to publish the data."),
        e("lb-linformaticien-leak", lb, "leak", "leak", "linformaticien-2022-les-bluets",
          "L'Informaticien", date="2022-10-24", date_text="lundi 24 octobre",
          status="claimed_by_attackers", actor="vice-society",
          paraphrase="The data were published on Monday 24 October.",
          summary="Vice Society publishes the stolen data."),
        # Cannes.
        e("cn-hospital-attack", cn, "attack", "attack", "ch-cannes-2024-04", "CH de Cannes",
          date="2024-04-16TMO", precision="part_of_day", date_text="au matin",
          status="stated_by_victim", paraphrase="The hospital was attacked on the morning "
          "of 16 April.", summary="Cyberattack on the Cannes hospital."),
        *[e(f"cn-{sid}-claim", cn, "claim", "claim", f"{sid}-2024-cannes", outlet, date=day,
            status="claimed_by_attackers", actor="lockbit",
            paraphrase=f"LockBit claimed the attack ({outlet}).",
            summary="LockBit claims the attack.")
          for sid, outlet, day in [("lemagit", "LeMagIT", "2024-04-29"),
                                   ("cybernews", "Cybernews", "2024-04-29"),
                                   ("orange", "Orange", "2024-04-30")]],
        e("cn-lemagit-ultimatum", cn, "ultimatum", "ultimatum", "lemagit-2024-cannes",
          "LeMagIT", date="2024-04-29", deadline="2024-05-02T00:00",
          deadline_precision="minute", deadline_text="avant ce mercredi 1er mai à minuit",
          status="claimed_by_attackers", actor="lockbit",
          paraphrase="LockBit gave the hospital until midnight on 1 May.",
          summary="LockBit threatens to publish the data."),
        *[e(f"cn-{sid}-leak", cn, "leak", "leak", f"{sid}-2024-cannes", outlet, date=value,
            precision=precision, date_text=text, status=status, actor="lockbit",
            paraphrase=f"The data were published ({outlet}).",
            summary="LockBit publishes the stolen data.", data_volume_gb=61.0)
          for sid, outlet, value, precision, text, status in [
              ("ch-cannes", "CH de Cannes", "2024-05-01TEV", "part_of_day",
               "dans la soirée du 1er mai", "stated_by_victim"),
              ("lemagit", "LeMagIT", "2024-05-01TEV", "part_of_day", "mercredi soir",
               "reported_by_outlet"),
              ("nice-matin", "Nice-Matin", "2024-05-01TNI", "part_of_day",
               "dans la nuit de mercredi à jeudi", "reported_by_outlet"),
              ("bfm", "BFM", "2024-05-01TNI", "part_of_day", "dans la nuit",
               "reported_by_outlet"),
              ("franceinfo", "Franceinfo", "2024-05-02", "day", "ce jeudi",
               "reported_by_outlet"),
              ("franceinfo-video", "Franceinfo (video)", "2024-05-03", "day", "vendredi",
               "reported_by_outlet")]],
        # Operation Cronos against LockBit: context for every LockBit case.
        e("cronos-lemagit", None, "police_action", "cronos-takedown", "lemagit-2024-02-cronos",
          "LeMagIT", date="2024-02-19T22:00", precision="minute", date_text="lundi soir, 22h",
          target="lockbit", status="confirmed_by_authorities",
          paraphrase="LockBit's site was seized on Monday evening.",
          summary="Operation Cronos takes down LockBit's infrastructure."),
        e("cronos-europol", None, "police_action", "cronos-takedown", "europol-2024-02-cronos",
          "Europol", date="2024-02-20", date_text="20 February 2024", target="lockbit",
          status="confirmed_by_authorities", paraphrase="Europol announced the operation.",
          summary="Operation Cronos takes down LockBit's infrastructure."),
        e("cronos-phase-2", None, "police_action", "cronos-phase-2", "europol-2024-05-cronos",
          "Europol", date="2024-05-07", target="lockbit", status="confirmed_by_authorities",
          paraphrase="LockBitSupp named and sanctioned.", summary="Operation Cronos, phase 2."),
        e("cronos-phase-3", None, "police_action", "cronos-phase-3", "europol-2024-10-cronos",
          "Europol", date="2024-10-01", target="lockbit", status="confirmed_by_authorities",
          paraphrase="New arrests and sanctions.", summary="Operation Cronos, phase 3."),
    ]
    cases = cases_frame([
        {"case_id": lb, "victim": "Maternité des Bluets", "facility_kind": "maternity_hospital",
         "city": "Paris", "groups": ["vice-society"]},
        {"case_id": cn, "victim": "Centre hospitalier Simone-Veil de Cannes",
         "facility_kind": "hospital", "city": "Cannes", "groups": ["lockbit"]},
    ])
    events = events_frame(rows)
    sources = (events[["source_id", "outlet"]].drop_duplicates("source_id")
               .assign(url=None, published=None).reset_index(drop=True))
    return dataset_of(events, cases, sources)
