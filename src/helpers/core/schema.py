"""Column definitions of every table: the single source of the data package and codebook."""
from __future__ import annotations

from dataclasses import dataclass

from helpers.core.vocab import (
    DATE_PRECISIONS,
    DELAY_FLAGS,
    EVENT_TYPES,
    FACILITY_KINDS,
    INCIDENT_KINDS,
    PUBLISHED_QUALIFIERS,
    STAGES,
    STATUSES,
)

ISO_REDUCED_DATE = r"^$|^\d{4}(-\d{2}(-\d{2})?|-W\d{2})?$"


def bounds_columns(kind: str) -> tuple[str, str, str]:
    """The (earliest, latest, precision) columns of an event's date (`kind` "date") or of an
    ultimatum's deadline ("deadline"), in events and case_timeline."""
    lead = "" if kind == "date" else f"{kind}_"
    return f"{lead}earliest_datetime", f"{lead}latest_datetime", f"{kind}_precision"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless type: string, integer, number, boolean, datetime, date
    description: str
    required: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    unique: bool = False


def _c(name, type_, description, **kw) -> Column:
    return Column(name, type_, description, **kw)


EVENTS = [
    _c("event_id", "string", "Stable id of the event as one source reports it; never renumbered.",
       required=True, unique=True),
    _c("case_id", "string", "Case the event belongs to; empty for group-level events (police "
       "actions, relaunches), which belong to a group (see group_id) and so to every case of "
       "that group."),
    _c("event_type", "string", "Type of event (see Event types).", required=True,
       enum=tuple(EVENT_TYPES)),
    _c("event_key", "string", "The real-world event reported, as a key within the case (or within "
       "the group for group-level events); rows of several sources sharing it report one event.",
       required=True),
    _c("is_context", "boolean", "`true` for group-level events (police actions, relaunches): "
       "context shown on every case of the group.", required=True),
    _c("source_id", "string", "Source reporting the event (sources.csv).", required=True),
    _c("date_text", "string", "The date as the source wrote it (short expression, kept in the "
       "source's language); empty when the source gives no date."),
    _c("is_date_text_verbatim", "boolean", "`false` when date_text is our English rendering of a "
       "citation-only source's date, not its own words.", required=True),
    _c("date_iso", "string", "Normalised date, ISO 8601 at its precision (2022-10-09, 2024-W17, "
       "2024-04, 2022); empty when undated.", pattern=ISO_REDUCED_DATE),
    _c("time_of_day", "string", "Time of day where stated: HH:MM, or a TIMEX3 part of day "
       "(MO morning, MI midday, AF afternoon, EV evening, NI night)."),
    _c("earliest_datetime", "datetime", "Earliest moment the event can have happened, local time "
       "of the case's time zone (cases.timezone), no offset.", required=True),
    _c("latest_datetime", "datetime", "Latest moment (inclusive, to the second), local time.",
       required=True),
    _c("date_precision", "string", "Precision of the date (see Date precision).", required=True,
       enum=tuple(DATE_PRECISIONS)),
    _c("date_method", "string", "How the date was obtained: a resolver rule, dateparser, hand_iso "
       "(a hand date with no expression), hand_explained (a hand date overriding the resolver, "
       "see date_note) or bounds:<not_before>..<not_after> for undated events.", required=True),
    _c("date_value", "string", "TIMEX3-style value of the date (e.g. 2024-05-01TNI)."),
    _c("date_note", "string", "The annotator's explanation when the hand date overrides the resolver."),
    _c("deadline_text", "string", "Ultimatums: the deadline as the source wrote it."),
    _c("deadline_iso", "string", "Ultimatums: normalised deadline date.", pattern=ISO_REDUCED_DATE),
    _c("deadline_earliest_datetime", "datetime", "Ultimatums: earliest moment of the deadline, "
       "local time."),
    _c("deadline_latest_datetime", "datetime", "Ultimatums: latest moment of the deadline, local "
       "time."),
    _c("deadline_precision", "string", "Ultimatums: precision of the deadline.",
       enum=("", *DATE_PRECISIONS)),
    _c("deadline_method", "string", "Ultimatums: how the deadline was obtained."),
    _c("quote", "string", "Stored texts: the verbatim evidence, exactly as in the text."),
    _c("quote_start", "integer", "Offset of the quote in the stored text (Unicode code points, "
       "0-based)."),
    _c("quote_end", "integer", "End offset of the quote (exclusive)."),
    _c("date_text_start", "integer", "Offset of date_text in the stored text."),
    _c("date_text_end", "integer", "End offset of date_text (exclusive)."),
    _c("paraphrase", "string", "Citation-only sources: what the source says, paraphrased in English."),
    _c("actor", "string", "Group the source holds responsible (groups.csv)."),
    _c("target", "string", "Police actions: the group targeted (groups.csv)."),
    _c("group_id", "string", "Group-level events: the group they concern (the target of a police "
       "action, the actor of a relaunch); empty for a case's own events."),
    _c("n_countries", "integer", "Police actions: number of countries involved, where stated "
       "(the annotation's countries_count); the agencies are in event_agencies."),
    _c("data_volume_gb", "number", "Volume of data in gigabytes, where the source states it."),
    _c("ransom_amount", "number", "Ransom demands: the amount the source states."),
    _c("ransom_currency", "string", "Its currency: EUR, USD or BTC.",
       enum=("", "EUR", "USD", "BTC")),
    _c("status", "string", "Who says so (see Status).", required=True, enum=tuple(STATUSES)),
    _c("summary", "string", "One-line English summary written by the annotator.", required=True),
    _c("notes", "string", "The annotator's notes."),
    _c("annotation_file", "string", "Annotation file the row comes from.", required=True),
    _c("annotation_line", "integer", "Line of the event in its annotation file.", required=True),
]

CASES = [
    _c("case_id", "string", "Stable id of the case.", required=True, unique=True),
    _c("victim", "string", "The attacked institution, named as in the sources.", required=True),
    _c("short_name", "string", "Short English name for labels (figures, tables); the city when "
       "cases.yaml gives none.", required=True),
    _c("facility_kind", "string", "Kind of facility.", required=True, enum=tuple(FACILITY_KINDS)),
    _c("incident_kind", "string", "What kind of attack the sources report (see Incident kinds).",
       required=True, enum=tuple(INCIDENT_KINDS)),
    _c("city", "string", "City of the facility.", required=True),
    _c("country_code", "string", "ISO 3166-1 alpha-2 country code.", required=True,
       pattern=r"^[A-Z]{2}$"),
    _c("timezone", "string", "IANA time zone of the local times of the case's events.",
       required=True),
    _c("n_sources", "integer", "Number of sources with events of the case.", required=True),
    _c("n_events", "integer", "Number of event rows of the case (context excluded).",
       required=True),
]

SOURCES = [
    _c("source_id", "string", "Stable id of the source.", required=True, unique=True),
    _c("outlet", "string", "Publishing outlet.", required=True),
    _c("title", "string", "Title, where known."),
    _c("author", "string", "Author, where known."),
    _c("url", "string", "Full URL, where recorded."),
    _c("url_note", "string", "Why the URL is missing or partial."),
    _c("language", "string", "Language of the source.", required=True, enum=("fr", "en")),
    _c("published", "string", "Publication date or datetime as known (ISO 8601)."),
    _c("published_qualifier", "string", "How exact the publication date is.", required=True,
       enum=tuple(PUBLISHED_QUALIFIERS)),
    _c("published_earliest_datetime", "datetime", "Earliest publication moment, Europe/Paris "
       "local time."),
    _c("published_latest_datetime", "datetime", "Latest publication moment; empty when "
       "unbounded."),
    _c("published_basis", "string", "How the publication date is known."),
    _c("received_date", "date", "Date the project obtained the text or the citation.",
       required=True),
    _c("has_text", "boolean", "`true` when the text is stored in data/raw/sources.", required=True),
    _c("text_file", "string", "Stored text's file name in data/raw/sources."),
    _c("text_sha256", "string", "SHA-256 of the stored text, checked at every build."),
    _c("rights", "string", "Rights note.", required=True),
    _c("via", "string", "Where the citation came from."),
]

GROUPS = [
    _c("group_id", "string", "Stable id of the group.", required=True, unique=True),
    _c("name", "string", "Usual name.", required=True),
]

CASE_GROUPS = [
    _c("case_id", "string", "Case.", required=True),
    _c("group_id", "string", "A group the case is attributed to (a case no source attributes "
       "has no row).", required=True),
]

GROUP_ALIASES = [
    _c("group_id", "string", "Group.", required=True),
    _c("alias", "string", "Another name sources use for it.", required=True),
]

EVENT_AGENCIES = [
    _c("event_id", "string", "Event (a police action).", required=True),
    _c("agency", "string", "An agency involved, as the source names it.", required=True),
]

BEST_DATE_RULE = (
    "Only dated sources count. When their intervals share a moment (they agree), the middle "
    "of the interval they share; when they do not (disputed), the lower median of their "
    "midpoints, leaving out a source whose interval holds another's (a month beside a day "
    "in it). Empty when no source dates the event.")

CASE_TIMELINE = [
    _c("case_id", "string", "Case.", required=True),
    _c("event_key", "string", "Real-world event within the case (or its group's context).",
       required=True),
    _c("event_type", "string", "Type of event.", required=True, enum=tuple(EVENT_TYPES)),
    _c("is_context", "boolean", "`true` for group-level events (police actions, relaunches) of "
       "the case's group.", required=True),
    _c("group_id", "string", "Group-level events: the group they concern."),
    _c("n_sources", "integer", "Number of sources reporting the event.", required=True),
    _c("n_dated_sources", "integer", "Of those, the number that date it (precision other than "
       "undated).", required=True),
    _c("best_date", "date", "Best date, the local calendar day of best_datetime. "
       + BEST_DATE_RULE),
    _c("best_datetime", "datetime", "Best moment, to the second: the one every figure, stage "
       "and delay uses."),
    _c("earliest_datetime", "datetime", "Earliest bound of what the sources together say: of "
       "the interval they share when they agree, of all of them when disputed (but a source "
       "holding another's interval; undated sources' "
       "bounds only when none dates the event).", required=True),
    _c("latest_datetime", "datetime", "Latest bound, likewise.", required=True),
    _c("date_precision", "string", "Precision of the best date: the finest dated source's when "
       "they agree, the chosen source's when disputed; undated when no source dates it.",
       required=True, enum=tuple(DATE_PRECISIONS)),
    _c("spread_days", "number", "Days between the earliest and the latest midpoint of the dated "
       "sources."),
    _c("is_disputed", "boolean", "`true` when dated sources' intervals share no moment.",
       required=True),
    _c("deadline_best_date", "date", "Ultimatums: best date of the deadline (same rule)."),
    _c("deadline_best_datetime", "datetime", "Ultimatums: best moment of the deadline."),
    _c("deadline_earliest_datetime", "datetime", "Ultimatums: earliest bound of the deadline."),
    _c("deadline_latest_datetime", "datetime", "Ultimatums: latest bound of the deadline."),
    _c("deadline_precision", "string", "Ultimatums: precision of the deadline's best date.",
       enum=("", *DATE_PRECISIONS)),
    _c("is_deadline_disputed", "boolean", "Ultimatums: `true` when the sources' deadlines share no "
       "moment."),
    _c("n_deadline_sources", "integer", "Number of sources giving a deadline.", required=True),
    _c("min_data_volume_gb", "number", "Smallest data volume stated by a source."),
    _c("max_data_volume_gb", "number", "Largest data volume stated by a source."),
]

CASE_TIMELINE_EVENTS = [
    _c("case_id", "string", "Case (with event_key, a row of case_timeline).", required=True),
    _c("event_key", "string", "Real-world event within the case.", required=True),
    _c("event_id", "string", "An event row reporting it (events.csv; its source is there).",
       required=True),
]

CASE_STAGES = [
    _c("case_id", "string", "Case.", required=True),
    _c("stage", "string", "Stage of the attack (see Stages).", required=True, enum=tuple(STAGES)),
    _c("stage_order", "integer", "Order of the stage in an attack (1 = intrusion).",
       required=True),
    _c("event_type", "string", "Type of the events that can stand for the stage (a deadline is "
       "an ultimatum's).", required=True, enum=tuple(EVENT_TYPES)),
    _c("event_key", "string", "The real-world event that stands for the stage "
       "(case_timeline.event_key); empty when no source reports one."),
    _c("is_reported", "boolean", "`true` when a source reports an event of the stage's type.",
       required=True),
    _c("is_dated", "boolean", "`true` when the chosen event has a best date.", required=True),
    _c("chosen_by", "string", "rule (the earliest dated event of the type) or annotation (named "
       "in cases.yaml, see stage_overrides).", enum=("", "rule", "annotation")),
    _c("selection_reason", "string", "Why this event stands for the stage, or why none does.",
       required=True),
    _c("n_candidates", "integer", "Real-world events of the stage's type in the case.",
       required=True),
    _c("n_sources", "integer", "Sources reporting the chosen event.", required=True),
    _c("n_dated_sources", "integer", "Of those, sources that date it.", required=True),
    _c("best_date", "date", "The chosen event's best date (case_timeline.best_date)."),
    _c("best_datetime", "datetime", "Its best moment (case_timeline.best_datetime)."),
    _c("earliest_datetime", "datetime", "Its earliest bound (case_timeline.earliest_datetime)."),
    _c("latest_datetime", "datetime", "Its latest bound (case_timeline.latest_datetime)."),
    _c("date_precision", "string", "Precision of its best date.",
       enum=("", *DATE_PRECISIONS)),
    _c("is_disputed", "boolean", "`true` when its dated sources disagree."),
    _c("days_since_attack", "integer", "Calendar days from the attack stage's best date to this "
       "stage's (its day in the view aligned on the attack); empty when either is not dated."),
]

DELAYS = [
    _c("case_id", "string", "Case.", required=True),
    _c("delay", "string", "Name of the delay: <from stage>_to_<to stage>.", required=True),
    _c("from_stage", "string", "Stage it starts from.", required=True, enum=tuple(STAGES)),
    _c("to_stage", "string", "Stage it ends at.", required=True, enum=tuple(STAGES)),
    _c("from_event_key", "string", "Event standing for the start (case_stages.event_key; for "
       "ultimatum_to_deadline, the ultimatum whose deadline is the deadline stage)."),
    _c("to_event_key", "string", "Event standing for the end."),
    _c("min_days", "integer", "Smallest delay the sources allow, in calendar days: from the "
       "latest possible start to the earliest possible end."),
    _c("max_days", "integer", "Largest delay the sources allow: from the earliest possible "
       "start to the latest possible end."),
    _c("best_days", "integer", "Calendar days between the best dates of the two ends."),
    _c("n_sources_from", "integer", "Sources reporting the start.", required=True),
    _c("n_sources_to", "integer", "Sources reporting the end.", required=True),
    _c("flag", "string", "Why the delay is empty or needs care (see Delay flags); empty when "
       "it is measured on dates to the day or finer.", enum=("", *DELAY_FLAGS)),
    _c("flag_reason", "string", "The flag's reason, with the dates involved."),
]

STAGE_OVERRIDES = [
    _c("case_id", "string", "Case.", required=True),
    _c("stage", "string", "Stage.", required=True, enum=tuple(STAGES)),
    _c("event_key", "string", "The event the annotator names for the stage.", required=True),
    _c("reason", "string", "Why the rule's choice is set aside.", required=True),
]

DISMISSED = [
    _c("source_id", "string", "Stored source.", required=True),
    _c("text", "string", "The date expression dismissed, as in the text.", required=True),
    _c("text_start", "integer", "Its offset in the stored text.", required=True),
    _c("text_end", "integer", "Its end offset (exclusive).", required=True),
    _c("reason", "string", "Why it is not an event.", required=True),
]

TABLES: dict[str, dict] = {
    "events": {"title": "Events, one row per event per source", "columns": EVENTS,
               "primary_key": ["event_id"],
               "foreign_keys": [("case_id", "cases", "case_id"),
                                ("source_id", "sources", "source_id"),
                                ("actor", "groups", "group_id"),
                                ("target", "groups", "group_id"),
                                ("group_id", "groups", "group_id")]},
    "cases": {"title": "Cases", "columns": CASES, "primary_key": ["case_id"], "foreign_keys": []},
    "sources": {"title": "Sources", "columns": SOURCES, "primary_key": ["source_id"],
                "foreign_keys": []},
    "groups": {"title": "Groups", "columns": GROUPS, "primary_key": ["group_id"],
               "foreign_keys": []},
    "case_groups": {"title": "The groups each case is attributed to", "columns": CASE_GROUPS,
                    "primary_key": ["case_id", "group_id"],
                    "foreign_keys": [("case_id", "cases", "case_id"),
                                     ("group_id", "groups", "group_id")]},
    "group_aliases": {"title": "Other names of each group", "columns": GROUP_ALIASES,
                      "primary_key": ["group_id", "alias"],
                      "foreign_keys": [("group_id", "groups", "group_id")]},
    "event_agencies": {"title": "The agencies of each police action", "columns": EVENT_AGENCIES,
                       "primary_key": ["event_id", "agency"],
                       "foreign_keys": [("event_id", "events", "event_id")]},
    "stage_overrides": {"title": "Stages whose event the annotator names, with the reason",
                        "columns": STAGE_OVERRIDES, "primary_key": ["case_id", "stage"],
                        "foreign_keys": [("case_id", "cases", "case_id")]},
    "case_timeline": {"title": "Case timeline, one row per real-world event across sources "
                               "(derived)",
                      "columns": CASE_TIMELINE, "primary_key": ["case_id", "event_key"],
                      "foreign_keys": [("case_id", "cases", "case_id"),
                                       ("group_id", "groups", "group_id")]},
    "case_timeline_events": {"title": "The event rows behind each row of the case timeline "
                                      "(derived)",
                             "columns": CASE_TIMELINE_EVENTS,
                             "primary_key": ["case_id", "event_key", "event_id"],
                             "foreign_keys": [("case_id", "cases", "case_id"),
                                              ("event_id", "events", "event_id")]},
    "case_stages": {"title": "Stages of each case's attack and the event standing for each "
                             "(derived)",
                    "columns": CASE_STAGES, "primary_key": ["case_id", "stage"],
                    "foreign_keys": [("case_id", "cases", "case_id")]},
    "delays": {"title": "Delays between the stages of each case, in days (derived)",
               "columns": DELAYS, "primary_key": ["case_id", "delay"],
               "foreign_keys": [("case_id", "cases", "case_id")]},
    "dismissed_expressions": {"title": "Date expressions in stored texts that are not events",
                              "columns": DISMISSED, "primary_key": ["source_id", "text_start"],
                              "foreign_keys": [("source_id", "sources", "source_id")]},
}

# Tables built from data/raw, and tables derived from them by helpers.derive.
PRIMARY_TABLES = ("events", "cases", "sources", "groups", "case_groups", "group_aliases",
                  "event_agencies", "stage_overrides", "dismissed_expressions")
DERIVED_TABLES = ("case_timeline", "case_timeline_events", "case_stages", "delays")
