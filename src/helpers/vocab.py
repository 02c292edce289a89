"""Controlled vocabularies, each term with the definition the codebook prints."""

EVENT_TYPES: dict[str, str] = {
    "attack": "The intrusion or encryption itself, as dated by the source (start of the incident).",
    "disclosure": "First public statement of the incident by the victim, or its revelation by the press.",
    "complaint": "A complaint lodged by the victim (with the police, a prosecutor or the CNIL).",
    "investigation": "A prosecutor or police unit takes up the case, or an investigation is opened.",
    "ransom_demand": "A ransom is demanded or announced; the amount goes in the summary when stated.",
    "claim": "The group claims the attack, usually on its leak site.",
    "ultimatum": "A threat to publish data, with its deadline recorded apart from the date it was issued.",
    "leak": "Stolen data is published.",
    "police_action": "A police or judicial operation against a group; context for every case of that group.",
}

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

PUBLISHED_QUALIFIERS: dict[str, str] = {
    "exact": "The publication date or datetime is shown by the source.",
    "approximate": "Only a coarser period (usually the month) is known.",
    "on_or_after": "Not shown; inferred as a lower bound from what the source reports.",
    "unknown": "Not known.",
}

LANGUAGES = ("fr", "en")

# Build rules that an annotation may set aside with an explained exception.
EXCEPTABLE_RULES: dict[str, str] = {
    "chronology": "Claim, ultimatum and leak not before the attack; a deadline not before its issue.",
    "after_publication": "No event dated after its source's publication.",
}
