"""Warnings: annotations that pass every rule of the build but are probably mistakes.

A warning does not stop the build (``python -m helpers build --strict`` makes it); an
annotation that is right as it stands says so with an explained exception naming the
warning's rule (``exceptions: [{rule: reporting_date, reason: ...}]``). Three checks:

``date_text_language``
    A ``date_text`` marked verbatim (the default) on a French source, written in ISO form
    ("2022-03-28") or in English ("21 March"): no French article writes a date that way, so
    it is probably the annotator's rendering, which should say ``date_text_verbatim: false``
    (and is then read as English). Stored texts are exempt: their date_text is found in the
    text, so it is verbatim by construction.

``paraphrase_language``
    A ``paraphrase`` or ``summary`` that reads as French. The test counts function words
    (articles, prepositions, pronouns, auxiliaries) that exist in one language only, outside
    quotation marks (a paraphrase may quote the French it renders): at least two French ones
    and more than twice as many French as English ones: a name such as "Centre hospitalier
    de Cannes" does not tip an English sentence, and a French one with two such words is
    caught. Too short a text (one or no function word) is not judged.

``reporting_date``
    A leak or a claim dated by the source's own report rather than by the event: the source
    says *when it reports* ("Ce jeudi 2 mai, Franceinfo rapporte que les données ont été
    publiées"), and the annotator took that day for the leak's. Fires when the evidence (the
    quote, or the paraphrase) has a reporting verb ("rapporte", "a annoncé", "selon",
    "reports", "according to"...) and either
    - the date as written stands within four words of it, in the same clause (a "que" or
      "that" between them ends the clause: "annonce que les données ont été publiées le 2
      mai" dates the publication), or
    - the event falls on the source's publication day (known to the day), which is where a
      report's "ce jeudi" lands.
    An event that a source dates only by its report is left undated (``date_text: null``),
    bounded by the publication (the convention since 0.3.0).
"""
from __future__ import annotations

import re
import unicodedata

from helpers.core.errors import Problem

# Function words found in one language only (ambiguous ones, such as "a", "on", "en" or
# "as", are left out).
FRENCH_WORDS = frozenset("""
le la les de des du un une et est sont au aux dans par pour sur avec qui que ne pas son sa ses
leur leurs ont été était étaient il elle ils elles ce cette ces nous vous se mais où aussi
selon après avant depuis lors sans très être avoir fait dont ainsi
""".split())
ENGLISH_WORDS = frozenset("""
the of and to in was were is are by for with that its it has had have from at this these
those which who after before since during been be not but or their they he she also than
""".split())
# French elisions: l'attaque, d'une, qu'il, s'est, n'a...
ELISION = re.compile(r"(?i)(?<![\w'])(?:[ldcsnjm]|qu)'(?=[a-zà-ÿ])")
QUOTED = re.compile(r"“[^”]*”|«[^»]*»|\"[^\"]*\"|(?<![\w'])'[^']*'(?![\w])")
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
HYPHENATED = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")

ENGLISH_DATE_WORDS = frozenset("""
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday yesterday today tomorrow tonight
ago last next week weekend month year morning afternoon evening night early late since
""".split())
ISO_DATE = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?(?:T\d{2}:\d{2}(?::\d{2})?)?\b")
ENGLISH_ORDINAL = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)\b", re.I)

# Reporting verbs, as whole words (one-word forms; "a annoncé" is found by "annoncé").
REPORTING_VERBS = frozenset("""
rapporte rapportent rapporté rapportait annonce annoncent annoncé annonçait indique indiquent
indiqué indiquait révèle révèlent révélé affirme affirment affirmé précise précisent précisé
explique expliquent expliqué déclare déclarent déclaré signale signalent signalé apprend
appris relaie relaye relayé relate relaté écrit confirme confirment confirmé assure assuré
selon
report reports reported announce announces announced say says said reveal reveals revealed
state states stated confirm confirms confirmed learn learns learned learnt write writes wrote
relay relays relayed told according
""".split())
CLAUSE_END = re.compile(r"[.;:!?]|\b(?:que|qu|that)\b", re.I)
PUBLICATION_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
DAY_PRECISIONS = ("day", "part_of_day", "hour", "minute")
WINDOW = 4  # words either side of a date as written


def _plain(text: str) -> str:
    return text.replace("’", "'").replace("\u00a0", " ")


def _words(text: str) -> list[str]:
    return [w.casefold() for w in WORD.findall(_plain(text))]


def french_words(text: str) -> list[str]:
    """The French function words of `text` when it reads as French (see the module's
    `paraphrase_language`), else []."""
    bare = QUOTED.sub(" ", _plain(text))
    french, english = [], []
    for word in _words(bare):
        if "'" in word and ELISION.match(word):
            french.append(word.split("'")[0] + "'")
            word = word.split("'")[-1]
        if word in FRENCH_WORDS:
            french.append(word)
        elif word in ENGLISH_WORDS:
            english.append(word)
    return french if len(french) >= 2 and len(french) > 2 * len(english) else []


def foreign_date(date_text: str) -> str | None:
    """How a date as written shows it is not French: "ISO form", "English ('March')", or
    None."""
    if ISO_DATE.search(date_text):
        return "in ISO form"
    # Hyphenated words stay whole: "le week-end du 16" is French.
    words = [w for w in HYPHENATED.findall(_plain(date_text)) if w.casefold() in ENGLISH_DATE_WORDS]
    if words:
        return f"in English ({words[0]!r})"
    ordinal = ENGLISH_ORDINAL.search(date_text)
    return f"in English ({ordinal.group(0)!r})" if ordinal else None


def _fold(text: str) -> str:
    """Without case or accents, one character for one (so that offsets carry over)."""
    return "".join((unicodedata.normalize("NFKD", c)[:1].casefold() or c)[:1] for c in text)


def reporting_verb(text: str) -> str | None:
    """The first reporting verb of `text`, as written, or None."""
    for match in WORD.finditer(_plain(text)):
        word = match.group(0).split("'")[-1]
        if word.casefold() in REPORTING_VERBS:
            return word
    return None


def reporting_verb_near(text: str, date_text: str, window: int = WINDOW) -> str | None:
    """A reporting verb within `window` words of `date_text` in `text`, in the same clause."""
    plain = _plain(text)
    at = _fold(plain).find(_fold(date_text))
    if at < 0:
        return None
    before, after = plain[:at], plain[at + len(date_text):]
    before = CLAUSE_END.split(before)[-1]
    after = CLAUSE_END.split(after)[0]
    near = WORD.findall(before)[-window:] + WORD.findall(after)[:window]
    for word in near:
        word = word.split("'")[-1]
        if word.casefold() in REPORTING_VERBS:
            return word
    return None


def _excepted(event, rule: str) -> bool:
    return event.has_exception(rule)


def _date_text_warnings(item) -> list[Problem]:
    event, source = item.annotation, item.source
    if (source.meta.get("language") or "fr") != "fr" or event.date_text_verbatim is False:
        return []
    if _excepted(event, "date_text_language"):
        return []
    found = []
    texts = [("date_text", event.date_text, item.date_text_span)]
    deadline = event.deadline if isinstance(event.deadline, dict) else {}
    texts.append(("deadline.date_text", deadline.get("date_text"), item.deadline_text_span))
    for name, text, span in texts:
        if not text or span is not None:  # found in a stored text: verbatim by construction
            continue
        how = foreign_date(text)
        if how:
            found.append(event.problem(
                name, f"{text!r} is marked verbatim, but it is written {how} and the source "
                "is French", "copy the date as the source writes it; set date_text_verbatim: false "
                "if it is your rendering; if the page does write it so, add an exception with "
                "rule date_text_language and a reason"))
    return found


def _language_warnings(item) -> list[Problem]:
    event = item.annotation
    if _excepted(event, "paraphrase_language"):
        return []
    found = []
    for name in ("paraphrase", "summary"):
        text = event.fields.get(name)
        if not isinstance(text, str):
            continue
        words = french_words(text)
        if words:
            shown = ", ".join(dict.fromkeys(words[:4]))
            found.append(event.problem(
                name, f"reads as French ({shown}…), but a {name} is written in English",
                "write it in English, with the French it renders between quotation marks"))
    return found


def _publication_day(source) -> str | None:
    pub = source.publication
    if pub.text is None or pub.qualifier not in ("exact", "approximate") \
            or not PUBLICATION_DAY.match(str(pub.text)) or pub.earliest is None:
        return None
    return pub.earliest.date().isoformat()


def _reporting_warnings(item) -> list[Problem]:
    event, source, dating = item.annotation, item.source, item.dating
    if event.type not in ("leak", "claim") or dating is None or not dating.value \
            or _excepted(event, "reporting_date"):
        return []
    name = "date_text" if event.date_text else "date"
    evidence = item.source.text[item.quote_span[0]:item.quote_span[1]] if item.quote_span \
        else (event.paraphrase or "")
    if event.date_text:
        verb = reporting_verb_near(evidence, event.date_text)
        if verb:
            dismiss = " and dismiss the expression with a reason" if source.has_text else ""
            return [event.problem(
                name, f"{event.date_text!r} stands next to the reporting verb {verb!r}: it may "
                f"date the report, not the {event.type}",
                f"if the source dates only its report, set date_text to null{dismiss}; if the "
                "date is the event's, add an exception with rule reporting_date and a reason")]
    day = _publication_day(source)
    same_day = dating.precision in DAY_PRECISIONS and day is not None \
        and dating.earliest.date().isoformat() == day == dating.latest.date().isoformat()
    verb = reporting_verb(evidence) if same_day else None
    if verb:
        return [event.problem(
            name, f"dated on its source's publication day ({day}), and its evidence has the "
            f"reporting verb {verb!r}: the day may be the report's, not the {event.type}'s",
            "if the source dates only its report, set date_text and date to null; if the date "
            "is the event's, add an exception with rule reporting_date and a reason")]
    return []


def event_warnings(events, problems: list[Problem]) -> list[Problem]:
    """The warnings of every event that has no problem (a problem is said first)."""
    troubled = {(p.file, p.event_id) for p in problems if p.kind == "event"}
    warnings: list[Problem] = []
    for item in events:
        event = item.annotation
        if (event.file, event.id or "") in troubled:
            continue
        warnings += _date_text_warnings(item)
        warnings += _language_warnings(item)
        warnings += _reporting_warnings(item)
    return warnings
