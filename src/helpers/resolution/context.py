"""What a French sentence says about the time of a date expression in it: past or future.

``governing_tense(sentence, start, end)`` looks for the verb that governs the expression at
``sentence[start:end]`` and returns its tense as past or future, with the words that decided,
or None when the sentence says nothing usable (a plain present, no verb). ``sentence_bounds``
finds the sentence around an expression in a longer text. :mod:`helpers.resolution.dates` uses both when
``resolve`` gets a context and in ``find_expressions``.

It is a light rule, not a parser: a lexicon of French verb endings and auxiliaries, and a
choice of the nearest verb in the expression's clause. docs/date-conventions.md says what it
reads and what it misses; bench/bench_dates.py measures it against spaCy's French pipeline on
tests/data/date_context.csv.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Tense", "attached_cue", "governing_tense", "sentence_bounds", "sentence_ends", "verb_tense"]

PAST, FUTURE, NEUTRAL = "past", "future", "neutral"


@dataclass(frozen=True)
class Tense:
    """The tense that governs an expression: ``past`` or ``future``, and the words that said so."""

    tense: str
    cue: str


# --------------------------------------------------------------------------- text handling

_LOOK_ALIKES = str.maketrans(
    {
        **dict.fromkeys("\u2019\u2018\u02bc\u2032`\u00b4", "'"),
        **dict.fromkeys("\u00a0\u202f\u2009\u2007\u2002\u2003\u2005", " "),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"),
    }
)


def _lower(text: str) -> str:
    """Lower-cased, accents kept (they tell "espérait" from "espérerait"), same length."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered.translate(_LOOK_ALIKES)


# A full stop, "!", "?" or "…" followed by a capital (or an opening quote) ends a sentence, and so
# does a line break; "M. Dupont", "Mme. X" and initials do not.
_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'»\u201d)\]]*(?=\s+[«\"\u201c(\[]?\s*[A-ZÀ-ÖØ-Þ])|\n")
_NOT_AN_END = re.compile(r"(?:^|[\s(])(?:[A-Za-z]|M|MM|Mme|Mmes|Mlle|Dr|Pr|Me|St|Ste|av|bd|cf|env|art|n°)\.$")


def sentence_ends(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence end in `text`: the punctuation run, or a line break."""
    ends = []
    for match in _SENTENCE_END.finditer(text):
        if match.group() != "\n" and _NOT_AN_END.search(text[max(0, match.start() - 6) : match.start() + 1]):
            continue
        ends.append((match.start(), match.end()))
    return ends


def sentence_bounds(text: str, start: int, end: int, ends: list[tuple[int, int]] | None = None) -> tuple[int, int]:
    """[first, last) offsets of the sentence of `text` holding `text[start:end]`.

    `ends` is `sentence_ends(text)`, when the caller looks up many expressions of one text.
    """
    first, last = 0, len(text)
    for end_start, end_end in sentence_ends(text) if ends is None else ends:
        if end_end <= start:
            first = end_end
        elif end_start >= end:
            last = end_end if text[end_start] != "\n" else end_start
            break
    while first < start and text[first].isspace():
        first += 1
    return first, last


# --------------------------------------------------------------------------- lexicon

_AVOIR = {
    **dict.fromkeys(["a", "ont", "ai", "as", "avons", "avez", "ait", "aient"], "present"),
    **dict.fromkeys(["avait", "avaient", "avais", "avions", "aviez", "eut", "eurent"], "past"),
    **dict.fromkeys(["aura", "auront", "aurai", "auras", "aurons", "aurez"], "future"),
    **dict.fromkeys(["aurait", "auraient", "aurais", "aurions", "auriez"], "conditional"),
}
_ETRE = {
    **dict.fromkeys(["est", "sont", "suis", "es", "sommes", "êtes", "soit", "soient"], "present"),
    **dict.fromkeys(["était", "étaient", "étais", "étions", "étiez", "fut", "furent"], "past"),
    **dict.fromkeys(["sera", "seront", "serai", "seras", "serons", "serez"], "future"),
    **dict.fromkeys(["serait", "seraient", "serais", "serions", "seriez"], "conditional"),
}
# Participles that take "être" in the passé composé ("est tombée", "sont intervenus"): with the
# present of être they are a past; other participles after "est" are a passive present ("sont fermées").
_ETRE_VERBS = re.compile(
    r"(?:all|arriv|entr|rentr|tomb|retomb|rest|mont|remont|retourn|pass|repass|décéd|demeur)é(?:e|s|es)?"
    r"|(?:(?:inter|par|de|re|sur|pro|ad)?venu|(?:re)?parti|(?:res)?sorti|né|mort|apparu|descendu|redescendu)"
    r"(?:e|s|es)?"
)
# Passive presents that schedule: "est prévu jeudi", "sont attendus lundi".
_SCHEDULED = re.compile(r"(?:prévu|programmé|attendu|fixé|convoqué|organisé|annoncé|planifié)(?:e|s|es)?")
_PARTICIPLE = re.compile(
    r"[a-zà-ÿœæ]{1,}(?:é|ée|és|ées|i|ie|is|ies|it|ite|its|ites|u|ue|us|ues|ert|erte|erts|ertes"
    r"|eint|einte|eints|aint|ainte|oint|ointe|ort|orte|orts|û|ût)"
)
_NOT_PARTICIPLES = frozenset(
    "lieu lui qui ici aussi ainsi parmi depuis puis mais jamais plus tous nous vous fois mois trois pays prix "
    "bleu feu peu jeu dieu milieu aveu neveu du au eu tu su vu pu lu bu ou un aucun chacun quelqu tout "
    "lundi mardi mercredi jeudi vendredi samedi dimanche midi minuit nuit huit début but bout tant quant "
    "souvent pendant cependant autant avant devant maintenant désormais toujours parfois alors ensuite "
    "assez près très trop beaucoup hui ci là si ni quelque chaque presque".split()
) - {"eu", "su", "vu", "pu", "lu", "bu"}
_ADVERBS = frozenset(
    "pas plus jamais rien point guère déjà encore finalement bien toujours aussi enfin alors notamment "
    "ensuite même également longtemps souvent très ainsi désormais récemment aujourd hui hier demain "
    "visiblement probablement certainement sans doute peut être vraisemblablement officiellement "
    "effectivement définitivement partiellement totalement entièrement largement mal vite tôt tard "
    "pourtant cependant toutefois néanmoins donc rapidement immédiatement aussitôt quelque sorte "
    "t il elle on ils elles y en ne n' '".split()
)
_CLITICS = frozenset("se s' me m' te t' nous vous le la les l' lui leur y en ne n' pas".split())
_REFLEXIVE = frozenset("se s' me m' te t' nous vous".split())

# Simple futures and conditionals, by ending (accents kept: "espérait" is an imperfect,
# "espérerait" a conditional). Stems of -irer/-vrer/-rrer/-drer verbs whose imperfects and
# presents would look like futures ("tirait", "ouvrait", "errait", "encadrait") are refused.
_FUTURE_3 = re.compile(
    r"[a-zà-ÿœæ]*(?:[^é]era|[^é]eront|ira|iront|dra|dront|rra|rront|(?:de|ce|sui|vi)vra|(?:de|ce|sui|vi)vront)"
    r"|sera|seront|aura|auront|fera|feront|ira|iront"
)
_FUTURE_OTHER = re.compile(r"[a-zà-ÿœæ]+(?:erai|irai|drai|rrai|erons|irons|drons|rrons|erez|irez|drez|rrez)")
_CONDITIONAL = re.compile(
    r"[a-zà-ÿœæ]*(?:[^é]erait|[^é]eraient|irait|iraient|drait|draient|rrait|rraient"
    r"|(?:de|ce|sui|vi)vrait|(?:de|ce|sui|vi)vraient)"
    r"|serait|seraient|aurait|auraient|ferait|feraient"
)
_FALSE_FUTURE_STEMS = re.compile(
    r"(?:(?:at|re|ré|é|sou)?tir|admir|aspir|inspir|expir|soupir|(?:re)?vir|chavir|désir|délir|transpir|conspir"
    r"|empir|respir|s?err|barr|bourr|(?:en|dé)?terr|ferr|narr|(?:en)?cadr|(?:dé)?liv|(?:r|entr)?ouv|(?:dé|re)?couv"
    r"|(?:man)?œuv|navr|labour)(?:a|ait|aient|ont|ra|rait|raient|èrent)"
)
_NOT_FUTURES = frozenset("riviera sierra terra vera extra caldera cerbera madera herrera cabrera".split())
_IMPERFECT = re.compile(r"[a-zà-ÿœæ]{2,}(?:ait|aient)")
_NOT_IMPERFECTS = frozenset(
    "lait trait fait extrait portrait souhait attrait retrait abstrait distrait parfait forfait méfait bienfait "
    "surfait satisfait refait défait contrefait connait parait apparait disparait reconnait nait plait deplait "
    "déplait complait imparfait".split()
)
_INFINITIVE = re.compile(r"[a-zà-ÿœæ]+(?:er|ir|re|oir)|être|avoir")
_GOING_TO = frozenset("va vont vais allons allez".split())
_MUST = frozenset("doit doivent".split())
# Present of verbs that look ahead, followed by "de"/"à" or an infinitive.
_INTENT = re.compile(
    r"(?:menace|menacent|prévoit|prévoient|promet|promettent|envisage|envisagent|projette|projettent"
    r"|compte|comptent|espère|espèrent|apprête|apprêtent|prépare|préparent)"
)
# Presents that schedule, after "se"/"s'": "le sommet se tient lundi" (and "a lieu", read with the auxiliaries).
_SCHEDULING_PRESENT_WORDS = frozenset("tient tiennent déroule déroulent joue jouent ouvre ouvrent".split())

# Cues written against the expression itself.
_POINTS_BACK = re.compile(r"(?:^|\s)depuis\s*$|^depuis(?![a-z])")
_POINTS_AHEAD = re.compile(r"(?:^|\s)d'\s*ici\s*$|^d'\s*ici(?![a-z])")
_POSTPONED_TO = re.compile(
    r"(?:report|repouss|renvoy|décal|ajourn|diffé?r|fix|avanc|mis\s+en\s+délibér)é(?:e|s|es)?"
    r"(?:\s+(?:à|au|jusqu'\s*à|jusqu'\s*au|pour))+\s*$"
)
# "prévu samedi", "programmée le 15": a plan, which says nothing about the day being past or ahead.
_PLANNED_FOR = re.compile(
    r"(?:^|[\s,;(])(?P<part>prévu|programmé|envisagé|planifié)(?:e|s|es)?(?:\s+(?:pour|le|au|à))?\s*$"
)
_ADJECTIVES = re.compile(r"(?<![a-zà-ÿ])(?:(?P<next>prochaine?s?)|(?P<last>dernière?s?|passée?s?))(?![a-zà-ÿ])")

_TOKEN = re.compile(r"[0-9a-zà-öø-ÿœæ]+'?|[^\s0-9a-zà-öø-ÿœæ]")
_SUBORDINATORS = frozenset(
    "que qu' qui où dont lorsque lorsqu' quand puisque puisqu' car mais tandis si comme".split()
)
_HARD_BOUNDARIES = frozenset(";:()«»\"[]")


@dataclass(frozen=True)
class _Marker:
    start: int
    end: int
    tense: str  # past | future | neutral (a neutral marker is a verb that hides no tense: "sont fermées")
    cue: str


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int


def _tokens(lowered: str) -> list[_Token]:
    return [_Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(lowered)]


def _next_content(tokens: list[_Token], i: int, skip: frozenset, limit: int = 4) -> int | None:
    """Index of the first token after i that is not in `skip` (nor a hyphen), within `limit` tokens."""
    j, seen = i + 1, 0
    while j < len(tokens) and seen < limit:
        word = tokens[j].text
        if word == "-" or word in skip:
            j += 1
            seen += 1
            continue
        return j
    return None


def _is_participle(word: str) -> bool:
    if word in ("eu", "été", "su", "vu", "pu", "lu", "bu", "dû", "fait", "dit", "pris", "mis", "né", "mort"):
        return True
    return word not in _NOT_PARTICIPLES and bool(_PARTICIPLE.fullmatch(word))


@lru_cache(maxsize=8192)
def _word_kind(word: str) -> str | None:
    """What the ending of a word says: future, future_1_2 (needs "je"/"nous"/"vous"), conditional, imperfect.

    (No passé simple by ending: "-èrent" is also the present of "espérer", "gérer"...)
    """
    if word in _NOT_FUTURES:
        return None
    if not _FALSE_FUTURE_STEMS.fullmatch(word):
        if _FUTURE_3.fullmatch(word):
            return "future"
        if _FUTURE_OTHER.fullmatch(word):
            return "future_1_2"
        if _CONDITIONAL.fullmatch(word):
            return "conditional"
    if _IMPERFECT.fullmatch(word) and word not in _NOT_IMPERFECTS:
        return "imperfect"
    return None


def _markers(tokens: list[_Token], original: str) -> list[_Marker]:
    markers: list[_Marker] = []
    consumed: set[int] = set()  # tokens already read as part of a compound form

    def add(first: int, last: int, tense: str) -> None:
        start, end = tokens[first].start, tokens[last].end
        markers.append(_Marker(start, end, tense, original[start:end]))
        consumed.update(range(first, last + 1))

    for i, token in enumerate(tokens):
        word = token.text.rstrip("'")
        if i in consumed or not word[:1].isalpha():
            continue
        previous = tokens[i - 1].text if i else ""
        capitalised = original[token.start].isupper() and i > 0 and tokens[i - 1].text not in ".!?"
        # Auxiliary + participle: passé composé, plus-que-parfait, futur antérieur, passive.
        aux = _AVOIR.get(word) or _ETRE.get(word)
        if aux:
            j = _next_content(tokens, i, _ADVERBS)
            if j is not None and tokens[j].text == "lieu" and word in ("a", "ont"):
                add(i, j, FUTURE)  # "le concert a lieu samedi": a present that schedules
                continue
            if j is not None and _is_participle(tokens[j].text):
                participle = tokens[j].text
                if participle == "été" and (k := _next_content(tokens, j, _ADVERBS)) is not None \
                        and _is_participle(tokens[k].text):
                    j = k  # "a été revendiqué": the cue is the whole form
                if aux == "future":
                    add(i, j, FUTURE)
                elif word in _ETRE and aux == "present" and previous not in _REFLEXIVE \
                        and not _ETRE_VERBS.fullmatch(participle):
                    # "est prévu jeudi" schedules; "sont fermées" is a state, tense unknown.
                    add(i, j, FUTURE if _SCHEDULED.fullmatch(participle) else NEUTRAL)
                else:
                    add(i, j, PAST)
                continue
            tense = {"future": FUTURE, "past": PAST, "conditional": FUTURE, "present": None}[aux]
            if tense:
                add(i, i, tense)
            continue
        if capitalised:
            continue
        kind = _word_kind(word)
        if kind == "future" or (kind == "future_1_2" and previous in ("je", "j'", "nous", "vous")):
            if word in ("aura", "ira") and previous in ("l'", "une", "son", "sa", "cette", "leur"):
                continue  # "l'aura" is a noun
            add(i, i, FUTURE)
        elif kind == "conditional":
            add(i, i, FUTURE)  # news conditionals look ahead: "la décision devrait tomber vendredi"
        elif kind == "imperfect":
            add(i, i, PAST)
        elif word in _GOING_TO or word in _MUST:
            j = _next_content(tokens, i, _CLITICS | _ADVERBS, limit=3)
            if j is not None and _INFINITIVE.fullmatch(tokens[j].text.rstrip("'")):
                add(i, j, FUTURE)
        elif _INTENT.fullmatch(word):
            j = _next_content(tokens, i, _CLITICS | {"de", "d'", "à"}, limit=3)
            if j is not None and _INFINITIVE.fullmatch(tokens[j].text.rstrip("'")):
                add(i, j, FUTURE)
        elif word in _SCHEDULING_PRESENT_WORDS and previous in ("se", "s'"):
            add(i - 1, i, FUTURE)
    return markers


# --------------------------------------------------------------------------- clauses


def _clauses(tokens: list[_Token]) -> tuple[list[int], list[int]]:
    """A clause id and a comma-segment id for each token.

    A subordinator ("que", "qui", "où", ...) opens a clause; one that follows a comma opens an
    incise, which the next comma closes ("Le groupe, qui publiera vendredi, a revendiqué").
    """
    clause_ids, segment_ids = [], []
    stack: list[tuple[int, bool]] = []
    current, incise, next_id, segment = 0, False, 1, 0
    for i, token in enumerate(tokens):
        word = token.text
        if word in _HARD_BOUNDARIES:
            current, incise, stack, next_id = next_id, False, [], next_id + 1
            segment += 1
        elif word == ",":
            segment += 1
            if incise and stack:
                current, incise = stack.pop()
        elif word in _SUBORDINATORS:
            after_comma = i > 0 and tokens[i - 1].text == ","
            stack.append((current, incise))
            current, incise, next_id = next_id, after_comma, next_id + 1
        clause_ids.append(current)
        segment_ids.append(segment)
    return clause_ids, segment_ids


def _position(tokens: list[_Token], offset: int) -> int:
    """Index of the token at or after `offset`."""
    for i, token in enumerate(tokens):
        if token.end > offset:
            return i
    return max(len(tokens) - 1, 0)


# --------------------------------------------------------------------------- the rule


@lru_cache(maxsize=256)
def _analysis(sentence: str) -> tuple[list[_Token], list[_Marker], list[int], list[int]]:
    """Tokens, verb markers, clause and comma-segment ids of a sentence (many expressions may share one)."""
    tokens = _tokens(_lower(sentence))
    return (tokens, _markers(tokens, sentence), *_clauses(tokens))


def governing_tense(sentence: str, start: int, end: int) -> Tense | None:
    """Past or future for the expression at sentence[start:end], or None when the sentence does not say.

    In order: a cue written against the expression (`attached_cue`), then the verb of the
    expression's clause nearest to it (`verb_tense`).
    """
    decided, tense = attached_cue(sentence, start, end)
    return tense if decided else verb_tense(sentence, start, end)


def attached_cue(sentence: str, start: int, end: int) -> tuple[bool, Tense | None]:
    """(True, tense) when words against the expression decide, whatever the verb; else (False, None).

    "depuis lundi": past; "d'ici lundi", "reporté à lundi", "mis en délibéré au 10 décembre":
    future; "prévu samedi" (a plan, without auxiliary): decided, with no tense, since a plan says
    nothing about the day being past or ahead.
    """
    lowered = _lower(sentence)
    before = lowered[max(0, start - 60) : start]
    inside = lowered[start:end]
    if _POINTS_BACK.search(before) or _POINTS_BACK.search(inside):
        return True, Tense(PAST, "depuis")
    if _POINTS_AHEAD.search(before) or _POINTS_AHEAD.search(inside):
        return True, Tense(FUTURE, "d'ici")
    if postponed := _POSTPONED_TO.search(before):
        return True, Tense(FUTURE, sentence[start - len(before) + postponed.start() : start].strip())
    if planned := _PLANNED_FOR.search(before):
        head = before[: planned.start("part")].split()
        if not head or (head[-1] not in _ETRE and head[-1] not in _AVOIR):
            return True, None
    return False, None


def verb_tense(sentence: str, start: int, end: int) -> Tense | None:
    """The tense of the verb nearest to sentence[start:end] in its clause (same comma segment first).

    A verb whose form hides its tense ("sont fermées") gives None; with no verb at all,
    "prochain(e)" or "dernier/dernière" elsewhere in the sentence decides.
    """
    tokens, all_markers, clause_ids, segment_ids = _analysis(sentence)
    if not tokens:
        return None
    markers = [m for m in all_markers if m.end <= start or m.start >= end]
    if markers:
        here = _position(tokens, start)

        def rank(marker: _Marker) -> tuple:
            at = _position(tokens, marker.start)
            distance = start - marker.end if marker.end <= start else marker.start - end
            return (clause_ids[at] != clause_ids[here], segment_ids[at] != segment_ids[here], distance)

        best = min(markers, key=rank)
        return None if best.tense == NEUTRAL else Tense(best.tense, best.cue)
    lowered = _lower(sentence)
    adjectives = [m for m in _ADJECTIVES.finditer(lowered) if m.end() <= start or m.start() >= end]
    if adjectives:
        nearest = min(adjectives, key=lambda m: start - m.end() if m.end() <= start else m.start() - end)
        return Tense(FUTURE if nearest.group("next") else PAST, sentence[nearest.start() : nearest.end()])
    return None
