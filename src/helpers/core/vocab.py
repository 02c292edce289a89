"""Controlled vocabularies, each term with the definition the codebook prints."""
import re

# Ids and keys written in data/raw (cases, groups, sources, events, event keys): lower-case
# words and digits joined by hyphens.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

EVENT_TYPES: dict[str, str] = {
    "intrusion": "Initial access: the attackers enter the systems, where a source dates it apart from the attack (often found later by the investigation).",
    "attack": "The day the hospital's systems were hit (encryption, or the attack as the source dates it): the start of the incident as the hospital lives it.",
    "disclosure": "First public statement of the incident by the victim, or its revelation by the press.",
    "crisis_plan": "The hospital triggers its crisis plan (plan blanc) because of the attack.",
    "care_disruption": "Care disrupted: patients or ambulances diverted, operations or consultations postponed; dated by when the source says it happened (its bounds cover the period where the source gives one).",
    "complaint": "A complaint lodged by the victim (with the police, a prosecutor or the CNIL).",
    "investigation": "A prosecutor or police unit takes up the case, or an investigation is opened.",
    "ransom_demand": "A ransom is demanded or announced; the amount goes in the summary when stated.",
    "claim": "The group claims the attack, usually on its leak site.",
    "ultimatum": "A threat to publish data, with its deadline recorded apart from the date it was issued.",
    "leak": "Stolen data is published.",
    "first_recovery": "The first systems or services are back in use after the attack.",
    "return_to_normal": "The hospital says its operation is back to normal (or its systems fully restored).",
    "police_action": "A police or judicial operation against a group; group-level context for every case of that group.",
    "relaunch": "The group resumes activity (a new leak site, new victims) after a police action; group-level context for every case of that group.",
}

# Group-level event types: recorded once per group, without a case, and shown as context on
# every case of that group. The value names the annotation field that holds the group.
GROUP_EVENT_TYPES: dict[str, str] = {"police_action": "target", "relaunch": "actor"}

# Event types that cannot precede the attack they follow from (the `chronology` rule).
AFTER_ATTACK_TYPES: tuple[str, ...] = (
    "claim", "ultimatum", "leak", "crisis_plan", "care_disruption", "first_recovery",
    "return_to_normal")

STATUSES: dict[str, str] = {
    "claimed_by_attackers": "Said by the attackers (leak site, statements to the press).",
    "stated_by_victim": "Said by the victim (communiqué, statement), directly or as reported.",
    "reported_by_outlet": "Reported by the outlet or a third party it cites, without attribution to a party.",
    "confirmed_by_authorities": "Confirmed by police, prosecutors or a government agency.",
}

DATE_PRECISIONS: dict[str, str] = {
    "minute": "A clock time to the minute (\"à 20h33\", \"à minuit\").",
    "hour": "A clock hour or an approximate time (\"à 4 heures\", \"vers 1h\").",
    "part_of_day": "A part of a day or a night (\"au matin\", \"dans la nuit du 1er au 2 mai\").",
    "day": "A calendar day.",
    "week": "An ISO week (\"la semaine dernière\").",
    "month": "A calendar month or part of one (\"mi-avril\", \"octobre 2022\").",
    "year": "A calendar year.",
    "undated": "The source gives no date; the bounds say what is known (see not_before / not_after).",
}

FACILITY_KINDS: dict[str, str] = {
    "hospital": "A general hospital (centre hospitalier).",
    "maternity_hospital": "A maternity hospital or maternity unit.",
    "university_hospital": "A university hospital (CHU).",
    "hospital_group": "A group of hospitals under one administration.",
}

INCIDENT_KINDS: dict[str, str] = {
    "ransomware": "Systems encrypted by ransomware, as the sources report it.",
    "data_extortion": "Data stolen and the victim extorted (ransom, sale or threat to publish) "
                      "with no encryption reported.",
    "ransom_ddos": "A denial-of-service attack followed by a ransom demand.",
    "stopped_attack": "An intrusion attributed to a ransomware actor, stopped before encryption.",
    "unconfirmed": "A cyberattack reported with ransomware suspected, not confirmed by the "
                   "sources.",
}

PUBLISHED_QUALIFIERS: dict[str, str] = {
    "exact": "The publication date or datetime is shown by the source.",
    "approximate": "Only a coarser period (usually the month) is known.",
    "on_or_after": "Not shown; inferred as a lower bound from what the source reports.",
    "unknown": "Not known.",
}

LANGUAGES = ("fr", "en")

# Build rules that an annotation may set aside with an explained exception.
EXCEPTABLE_RULES: dict[str, str] = {
    "chronology": "Claim, ultimatum, leak, crisis plan, care disruption and recovery not before the attack; an intrusion not after it; a deadline not before its issue.",
    "after_publication": "No event dated after its source's publication.",
    # Warnings (helpers.build.lint): an exception says the annotation is right as it stands.
    "date_text_language": "Warning: a date_text marked verbatim on a French source but written "
                          "in ISO form or in English.",
    "paraphrase_language": "Warning: a paraphrase or summary that reads as French.",
    "reporting_date": "Warning: a leak or claim dated by the source's reporting verb (the day "
                      "of its report rather than of the event).",
}

# The stages of an attack, in order: each is the event of a type that stands for it in a case
# (the deadline is an ultimatum's deadline). Definitions are the codebook's.
STAGES: dict[str, str] = {
    "intrusion": "Initial access, where a source dates it apart from the attack.",
    "attack": "The day the hospital's systems were hit: day 0 of the aligned view.",
    "disclosure": "First public disclosure: the victim's statement or the press's revelation.",
    "crisis_plan": "The hospital's crisis plan (plan blanc) triggered.",
    "care_disruption": "First reported disruption of care.",
    "claim": "The group's claim.",
    "ultimatum": "The group's ultimatum is issued.",
    "deadline": "The ultimatum's deadline (the first dated one).",
    "leak": "First publication of stolen data.",
    "first_recovery": "The first systems or services back.",
    "return_to_normal": "Return to normal operation.",
}
# The event type whose events can stand for each stage.
STAGE_EVENT_TYPES: dict[str, str] = {stage: ("ultimatum" if stage == "deadline" else stage)
                                     for stage in STAGES}

# Why a delay is empty or needs care (delays.flag).
DELAY_FLAGS: dict[str, str] = {
    "not_reported": "An end of the delay is not reported: no value.",
    "not_dated": "An end is reported but no source dates it: no value.",
    "negative": "The later stage is dated before the earlier one (best_days below 0): kept, "
                "with both dates in the reason.",
    "imprecise": "An end is dated only to a week, month or year: the range is wide.",
}

# French words an annotator reading French sources may type for an event type or a status:
# the "did you mean" of an error message points to the vocabulary's term.
SYNONYMS: dict[str, str] = {
    "intrusion": "intrusion", "acces-initial": "intrusion",
    "attaque": "attack", "cyberattaque": "attack", "chiffrement": "attack",
    "encryption": "attack", "divulgation": "disclosure", "annonce": "disclosure",
    "communique": "disclosure", "plan-blanc": "crisis_plan", "deprogrammation": "care_disruption",
    "plainte": "complaint", "enquete": "investigation", "rancon": "ransom_demand",
    "demande-de-rancon": "ransom_demand", "ransom": "ransom_demand",
    "revendication": "claim", "fuite": "leak", "publication": "leak",
    "redemarrage": "first_recovery", "recovery": "first_recovery",
    "retour-a-la-normale": "return_to_normal", "operation-de-police": "police_action",
    "takedown": "police_action", "relance": "relaunch",
    "attackers": "claimed_by_attackers", "victime": "stated_by_victim",
    "victim": "stated_by_victim", "outlet": "reported_by_outlet", "media": "reported_by_outlet",
    "authorities": "confirmed_by_authorities", "autorites": "confirmed_by_authorities",
}
