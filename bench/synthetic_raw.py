"""Synthetic RAW datasets (files, as in data/raw) for the benchmark: N cases, valid for the build.

Each case has 3 sources and 10 events:

* source A, a stored text of about 3,000 characters published 7 to 12 days after the attack:
  attack, disclosure, claim, ultimatum (undated, with a deadline);
* source B, a stored text of about 3,000 characters published 20 to 40 days after:
  attack, claim (sometimes one day off: a disagreement), leak, investigation;
* source C, citation-only, published 45 to 70 days after: leak (English rendering of the date
  with a hand date) and ransom demand (undated, bounded by the attack and the publication).

Texts are French sentences made up here: filler sentences that contain no date expression,
and one sentence per event whose date is written the ways the resolver reads
("dans la nuit du 21 au 22 octobre", "le 9 octobre dernier", "lundi 24 octobre 2022",
"le lendemain" anchored on the attack, "vers 14 h", "au matin"...). Each stored text also has
one duration ("depuis trois ans") that its annotation dismisses, so every expression
`helpers.resolution.dates.find_expressions` finds is annotated or dismissed.

Run ``python bench/synthetic_raw.py --cases 20 --out /tmp/synth --verify`` to write a dataset
and check it: every date expression resolves to the intended day, and find_expressions finds
exactly the annotated and dismissed expressions. Deterministic for a given seed.

`generate()` returns the list of every date expression written (text, reference, anchor,
language), which the benchmark resolves again as its "resolve every date" step.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

PARIS = ZoneInfo("Europe/Paris")
MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]
WEEKDAYS_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
COUNTS_FR = ["deux", "trois", "quatre", "cinq", "six"]

GROUPS = ["Noctis", "Brumax", "Karvex", "Ombrelune", "Vortan", "Zephyrix", "Grisfer",
          "Talvane", "Corvix", "Myrkan", "Quillon", "Draxel"]
CITY_HEADS = ["Val", "Mont", "Beau", "Roche", "Bois", "Clair", "Font", "Castel", "Grand",
              "Pont", "Haut", "Bel", "Riv", "Cour", "Mar"]
CITY_TAILS = ["bourg", "mont", "ville", "lac", "fort", "court", "pierre", "lieu", "brune",
              "vert", "champ", "val", "roche", "gny", "sac"]
FACILITIES = [("Centre hospitalier de {city}", "hospital"),
              ("CHU de {city}", "university_hospital"),
              ("Maternité de {city}", "maternity_hospital"),
              ("Groupe hospitalier de {city}", "hospital_group"),
              ("Hôpital de {city}", "hospital")]
OUTLETS = ["La Gazette de {city}", "Le Courrier de {city}", "L'Écho de {city}",
           "Le Républicain de {city}", "Info Santé {city}", "Le Journal de {city}"]
WIRES = ["Cyber Wire", "Hospital Security News", "Health IT Daily", "The Breach Report"]

# Sentences with no date expression at all (checked by --verify; keep words such as
# "nuit", "soir", "matin", "midi", month and weekday names, numbers and units out of them).
FILLER = [
    "La direction de l'établissement a déclenché le plan blanc afin de garantir la continuité des soins.",
    "Le personnel soignant travaille en mode dégradé, avec des dossiers papier et des fax.",
    "L'agence régionale de santé suit la situation de près et assure son soutien aux équipes.",
    "Les équipes informatiques ont isolé les serveurs touchés par le logiciel malveillant.",
    "Un porte-parole du {victim} affirme que la prise en charge des patients reste assurée.",
    "Certaines opérations programmées ont été reportées, les urgences vitales restant prioritaires.",
    "Les syndicats dénoncent un manque chronique de moyens consacrés à la sécurité informatique.",
    "L'Agence nationale de la sécurité des systèmes d'information a dépêché des experts sur place.",
    "Le logiciel de gestion des rendez-vous est toujours inaccessible, précise la direction.",
    "Les patients sont invités à se munir de leurs ordonnances et de leurs résultats d'analyses.",
    "Selon une source interne, le réseau de l'imagerie médicale a été coupé par précaution.",
    "Le groupe {group} est connu pour viser des établissements publics de santé.",
    "La direction refuse catégoriquement de verser la moindre rançon aux pirates.",
    "Les médecins urgentistes décrivent une ambiance tendue mais un service maintenu.",
    "Une cellule de crise réunit la direction, les informaticiens et les chefs de pôle.",
    "Le ministère de la Santé rappelle que les hôpitaux restent une cible privilégiée.",
    "Des prestataires spécialisés accompagnent l'établissement pour reconstruire son système.",
    "Les laboratoires transmettent leurs résultats par coursier, faute de messagerie.",
    "Les familles des patients hospitalisés ont été informées par courrier.",
    "Une plateforme téléphonique a été ouverte pour répondre aux questions des usagers.",
    "Le maire de {city} a exprimé son soutien aux personnels de l'hôpital.",
    "Les pharmaciens de ville ont été prévenus afin d'éviter toute rupture de traitement.",
    "Les sauvegardes, stockées hors ligne, devraient permettre une restauration progressive.",
    "Les autorités appellent à la prudence face aux courriels frauduleux qui circulent.",
    "La Commission nationale de l'informatique et des libertés a été notifiée de l'incident.",
    "Les experts estiment que les pirates ont exploité une faille dans un accès distant.",
    "Les élus locaux réclament des moyens supplémentaires pour la cybersécurité des hôpitaux.",
    "Le service de radiologie fonctionne au ralenti, certains examens étant redirigés.",
    "Selon la direction, aucun patient n'a été mis en danger par la panne informatique.",
    "Les infirmiers notent à la main les traitements administrés dans chaque service.",
    "Des spécialistes de la réponse aux incidents analysent les journaux des serveurs.",
    "Le groupe {group} publie habituellement les données de ses victimes sur son site vitrine.",
    "Les usagers peuvent suivre l'évolution de la situation sur le site de l'hôpital.",
    "La préfecture a réuni les acteurs de la santé du département pour faire le point.",
    "Les établissements voisins accueillent une partie des patients des urgences.",
]

# One sentence per event; {date} is the date expression (date_text), the rest is unique to
# the event within its text, so the quote is found once.
SENTENCES = {
    "attack": [
        "Le {victim} a été victime d'une cyberattaque {date}",
        "Les systèmes informatiques du {victim} ont été chiffrés {date}",
    ],
    "disclosure": [
        "La direction du {victim} a confirmé l'incident {date}",
        "L'établissement a rendu publique l'attaque {date}",
    ],
    "claim": [
        "Le groupe {group} a revendiqué l'attaque {date}",
        "Les pirates de {group} ont revendiqué l'opération sur leur site {date}",
    ],
    "ultimatum": [
        "Les pirates menacent de tout publier avant le {deadline}",
        "{group} exige une rançon et menace de diffuser les fichiers avant le {deadline}",
    ],
    "leak": [
        "Les données volées ont été publiées par {group} {date}",
    ],
    "investigation": [
        "Le parquet de Paris a ouvert une enquête {date}",
    ],
}
DISMISSED = "Le groupe {group} sévit depuis {count} ans, selon les spécialistes."


@dataclass
class Expression:
    """One date expression written in the dataset, and what it should resolve to."""

    text: str
    reference: str  # ISO datetime with offset
    language: str
    expected_day: str  # ISO date of the start of the intended interval
    anchor: str | None = None  # ISO date of the anchor day, for "le lendemain"


def _day(d: date) -> str:
    return "1er" if d.day == 1 else str(d.day)


def _fr(d: date, *, weekday: bool = False, year: bool = False) -> str:
    parts = ([WEEKDAYS_FR[d.weekday()]] if weekday else []) + [_day(d), MONTHS_FR[d.month - 1]]
    if year:
        parts.append(str(d.year))
    return " ".join(parts)


def _slug(text: str) -> str:
    out = "".join(c if c.isalnum() else "-" for c in text.lower())
    return "-".join(p for p in out.split("-") if p)


class _CaseWriter:
    def __init__(self, rng: random.Random, index: int, start: date):
        self.rng = rng
        city = rng.choice(CITY_HEADS) + rng.choice(CITY_TAILS)
        name, kind = rng.choice(FACILITIES)
        self.city = city
        self.victim = name.format(city=city)
        self.kind = kind
        self.group = rng.choice(GROUPS)
        self.group_id = _slug(self.group)
        self.case_id = f"synth-{index:04d}-{_slug(city)}"
        self.attack = start + timedelta(days=rng.randrange(0, 5 * 365))
        self.expressions: list[Expression] = []

    # -- dates ---------------------------------------------------------------------------

    def _expr(self, text: str, reference: datetime, expected: date, language: str = "fr",
              anchor: date | None = None) -> str:
        self.expressions.append(Expression(text, reference.isoformat(), language,
                                           expected.isoformat(),
                                           anchor.isoformat() if anchor else None))
        return text

    def _attack_text(self, reference: datetime, style: str) -> tuple[str, bool]:
        """The attack's date expression; True when it is a day (so "le lendemain" is clear)."""
        d = self.attack
        if style == "night":
            nxt = d + timedelta(days=1)
            if nxt.month == d.month:
                text = f"dans la nuit du {_day(d)} au {_fr(nxt)}"
            else:
                text = f"dans la nuit du {_fr(d)} au {_fr(nxt)}"
            return self._expr(text, reference, d), False
        if style == "past":
            return self._expr(f"le {_fr(d)} dernier", reference, d), True
        if style == "morning":
            return self._expr(f"{_fr(d, weekday=True)} au matin", reference, d), False
        return self._expr(_fr(d, weekday=True, year=True), reference, d), True

    # -- texts ---------------------------------------------------------------------------

    def _text(self, event_sentences: list[str], dismissed_sentence: str, length: int) -> str:
        """Title, then event sentences in order with filler between, about `length` chars."""
        rng = self.rng
        fill = [s.format(victim=self.victim, group=self.group, city=self.city) for s in FILLER]
        rng.shuffle(fill)
        title = f"Cyberattaque au {self.victim} : l'établissement fait face"
        body = [s + "." for s in event_sentences]
        body.insert(rng.randrange(1, len(body) + 1), dismissed_sentence)
        used = sum(len(s) + 1 for s in body) + len(title)
        fillers = []
        for sentence in fill * 3:
            if used >= length:
                break
            fillers.append(sentence)
            used += len(sentence) + 1
        # Spread the fillers between the event sentences, in paragraphs of 2-4 sentences.
        slots: list[list[str]] = [[] for _ in range(len(body) + 1)]
        for sentence in fillers:
            slots[rng.randrange(len(slots))].append(sentence)
        sentences = []
        for i, slot in enumerate(slots):
            sentences += slot
            if i < len(body):
                sentences.append(body[i])
        paragraphs, current = [], []
        for sentence in sentences:
            current.append(sentence)
            if len(current) >= rng.randint(2, 4):
                paragraphs.append(" ".join(current))
                current = []
        if current:
            paragraphs.append(" ".join(current))
        return title + "\n\n" + "\n\n".join(paragraphs) + "\n"

    def _event(self, source_id: str, key: str, type_: str, status: str, summary: str,
               **fields) -> dict:
        event = {"id": f"{source_id}-{key}", "case": self.case_id, "type": type_,
                 "event_key": key, "status": status}
        event.update({k: v for k, v in fields.items() if v is not None})
        event["summary"] = summary
        return event

    def write(self, raw: Path, text_length: int) -> None:
        rng = self.rng
        a0 = self.attack
        fmt = dict(victim=self.victim, group=self.group)

        # Source A: stored text, published 7-12 days after the attack.
        sid_a = f"{self.case_id}-a"
        pub_a = datetime.combine(a0 + timedelta(days=rng.randint(7, 12)),
                                 time(rng.randint(6, 20), rng.choice((0, 15, 30, 45))),
                                 tzinfo=PARIS)
        attack_text, is_day = self._attack_text(pub_a, rng.choice(["night", "past", "morning",
                                                                   "full"]))
        claim_day = a0 + timedelta(days=rng.randint(2, 6))
        deadline = claim_day + timedelta(days=rng.randint(7, 10))
        events_a, sentences_a = [], []

        quote = rng.choice(SENTENCES["attack"]).format(date=attack_text, **fmt)
        events_a.append(self._event(sid_a, "attack", "attack", "stated_by_victim",
                                    "The hospital was attacked.", quote=quote,
                                    date_text=attack_text,
                                    date=a0.isoformat() if is_day else None))
        sentences_a.append(quote)

        if is_day and rng.random() < 0.5:
            disclosure_text = self._expr("le lendemain", pub_a, a0 + timedelta(days=1),
                                         anchor=a0)
            anchor = "attack"
        else:
            day = a0 + timedelta(days=rng.randint(1, 2))
            disclosure_text = self._expr(f"le {_fr(day)} vers {rng.randint(9, 18)} h", pub_a, day)
            anchor = None
        quote = rng.choice(SENTENCES["disclosure"]).format(date=disclosure_text, **fmt)
        events_a.append(self._event(sid_a, "disclosure", "disclosure", "stated_by_victim",
                                    "The hospital disclosed the attack.", quote=quote,
                                    date_text=disclosure_text, anchor=anchor))
        sentences_a.append(quote)

        claim_text = self._expr(f"{_fr(claim_day, weekday=True)}", pub_a, claim_day)
        quote = rng.choice(SENTENCES["claim"]).format(date=claim_text, **fmt)
        events_a.append(self._event(sid_a, "claim", "claim", "claimed_by_attackers",
                                    f"{self.group} claimed the attack.", quote=quote,
                                    date_text=claim_text, actor=self.group_id))
        sentences_a.append(quote)

        # The resolver reads a day without a year in the publication's year (or the year
        # before): a deadline in the next year needs its year.
        deadline_words = _fr(deadline, year=deadline.year != pub_a.year)
        deadline_text = self._expr(f"le {deadline_words}", pub_a, deadline)
        quote = rng.choice(SENTENCES["ultimatum"]).format(deadline=deadline_words, **fmt)
        events_a.append(self._event(sid_a, "ultimatum", "ultimatum", "claimed_by_attackers",
                                    f"{self.group} threatened to publish the data.",
                                    quote=quote, date_text=None, actor=self.group_id,
                                    deadline={"date_text": deadline_text}))
        sentences_a.append(quote)
        count_a = rng.choice(COUNTS_FR)
        dismissed_a = DISMISSED.format(group=self.group, count=count_a)
        text_a = self._text(sentences_a, dismissed_a, text_length)
        self._write_source(raw, sid_a, rng.choice(OUTLETS).format(city=self.city), pub_a.isoformat(),
                           text_a, events_a, [f"depuis {count_a} ans"])

        # Source B: stored text, published 20-40 days after the attack.
        sid_b = f"{self.case_id}-b"
        pub_b = datetime.combine(a0 + timedelta(days=rng.randint(20, 40)),
                                 time(rng.randint(6, 20), rng.choice((0, 10, 20, 40))),
                                 tzinfo=PARIS)
        events_b, sentences_b = [], []
        attack_text = self._expr(_fr(a0, weekday=True, year=True), pub_b, a0)
        quote = rng.choice(SENTENCES["attack"]).format(date=attack_text, **fmt)
        events_b.append(self._event(sid_b, "attack", "attack", "reported_by_outlet",
                                    "The hospital was attacked.", quote=quote,
                                    date_text=attack_text))
        sentences_b.append(quote)
        # One case in four: this outlet dates the claim a day later (a disagreement).
        claim_b = claim_day + timedelta(days=1 if rng.random() < 0.25 else 0)
        claim_text = self._expr(f"le {_fr(claim_b)} dernier", pub_b, claim_b)
        quote = rng.choice(SENTENCES["claim"]).format(date=claim_text, **fmt)
        events_b.append(self._event(sid_b, "claim", "claim", "reported_by_outlet",
                                    f"{self.group} claimed the attack.", quote=quote,
                                    date_text=claim_text, actor=self.group_id,
                                    date=claim_b.isoformat()))
        sentences_b.append(quote)
        leak_day = deadline + timedelta(days=rng.randint(1, 3))
        leak_text = self._expr(_fr(leak_day, weekday=True, year=True), pub_b, leak_day)
        quote = SENTENCES["leak"][0].format(date=leak_text, **fmt)
        events_b.append(self._event(sid_b, "leak", "leak", "reported_by_outlet",
                                    "The stolen data was published.", quote=quote,
                                    date_text=leak_text, actor=self.group_id,
                                    data_volume_gb=round(rng.uniform(5, 500), 1)))
        sentences_b.append(quote)
        inquiry_day = a0 + timedelta(days=rng.randint(3, 15))
        inquiry_text = self._expr(f"le {_fr(inquiry_day)}", pub_b, inquiry_day)
        quote = SENTENCES["investigation"][0].format(date=inquiry_text, **fmt)
        events_b.append(self._event(sid_b, "investigation", "investigation",
                                    "confirmed_by_authorities", "An investigation was opened.",
                                    quote=quote, date_text=inquiry_text,
                                    date=inquiry_day.isoformat()))
        sentences_b.append(quote)
        # Sentences in date order, as an article would tell them.
        order = sorted(range(len(sentences_b)),
                       key=lambda i: [a0, claim_b, leak_day, inquiry_day][i])
        count_b = rng.choice(COUNTS_FR)
        dismissed_b = DISMISSED.format(group=self.group, count=count_b)
        text_b = self._text([sentences_b[i] for i in order], dismissed_b, text_length)
        self._write_source(raw, sid_b, rng.choice(OUTLETS).format(city=self.city), pub_b.isoformat(),
                           text_b, events_b, [f"depuis {count_b} ans"])

        # Source C: citation only, published (a day, no time) 45-70 days after the attack.
        sid_c = f"{self.case_id}-c"
        pub_c = a0 + timedelta(days=rng.randint(45, 70))
        reference_c = datetime.combine(pub_c, time(12, 0), tzinfo=PARIS)
        leak_en = self._expr(f"{leak_day.day} {MONTHS_EN[leak_day.month - 1]}", reference_c,
                             leak_day, language="en")
        events_c = [
            self._event(sid_c, "leak", "leak", "reported_by_outlet",
                        "The stolen data was published.",
                        paraphrase=f"The outlet reports that {self.group} leaked the hospital's "
                                   f"data on {leak_en}.",
                        date_text=leak_en, date_text_verbatim=False,
                        date=leak_day.isoformat(), actor=self.group_id),
            self._event(sid_c, "ransom", "ransom_demand", "reported_by_outlet",
                        "A ransom was demanded.",
                        paraphrase=f"The outlet reports that {self.group} demanded a ransom.",
                        date_text=None, actor=self.group_id),
        ]
        self._write_source(raw, sid_c, rng.choice(WIRES), pub_c.isoformat(), None, events_c, [])

    def _write_source(self, raw: Path, source_id: str, outlet: str, published: str,
                      text: str | None, events: list[dict], dismissed: list[str]) -> None:
        meta = {
            "source_id": source_id, "outlet": outlet,
            "title": f"Cyberattaque au {self.victim}", "author": None,
            "url": f"https://example.org/{source_id}", "language": "fr",
            "published": published, "published_qualifier": "exact",
            "published_basis": "Synthetic benchmark data.", "received": "2026-11-23",
            "rights": "Synthetic text written by the benchmark; MIT.",
        }
        if text is not None:
            data = text.encode("utf-8")
            (raw / "sources" / f"{source_id}.txt").write_bytes(data)
            meta["text_file"] = f"{source_id}.txt"
            meta["sha256"] = hashlib.sha256(data).hexdigest()
        _dump(raw / "sources" / f"{source_id}.yaml", meta)
        annotation = {"source": source_id, "events": events}
        if dismissed:
            annotation["dismissed"] = [{"text": t, "reason": "Duration of the group's activity."}
                                       for t in dismissed]
        _dump(raw / "annotations" / f"{source_id}.yaml", annotation)

    def case_record(self) -> dict:
        return {"case_id": self.case_id, "victim": self.victim, "facility_kind": self.kind, "incident_kind": "ransomware",
                "city": self.city, "country_code": "FR", "groups": [self.group_id],
                "timezone": "Europe/Paris"}


def _dump(path: Path, data) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000),
                    encoding="utf-8")


DATASET_YAML = {
    "name": "hospital-ransomware-timelines-synthetic",
    "title": "Synthetic benchmark dataset",
    "version": "0.0.0-bench",
    "description": "Synthetic cases written by bench/synthetic_raw.py; not real events.",
    "licenses": [{"name": "CC-BY-4.0",
                  "title": "Creative Commons Attribution 4.0 International",
                  "path": "https://creativecommons.org/licenses/by/4.0/"}],
    "contributors": [{"title": "Hospital ransomware timelines benchmark", "role": "author"}],
    "keywords": ["synthetic"],
}


def generate(root: Path, n_cases: int, *, seed: int = 0, text_length: int = 3000,
             start: date = date(2019, 1, 1)) -> list[Expression]:
    """Write `root`/data/raw with `n_cases` synthetic cases; return every date expression."""
    raw = Path(root) / "data" / "raw"
    (raw / "sources").mkdir(parents=True, exist_ok=True)
    (raw / "annotations").mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    cases, expressions = [], []
    for index in range(1, n_cases + 1):
        writer = _CaseWriter(rng, index, start)
        writer.write(raw, text_length)
        cases.append(writer.case_record())
        expressions += writer.expressions
    _dump(raw / "cases.yaml", cases)
    _dump(raw / "groups.yaml", [{"group_id": _slug(g), "name": g, "aliases": [f"{g} 2.0"]}
                                for g in GROUPS])
    _dump(raw / "dataset.yaml", DATASET_YAML)
    return expressions


def save_expressions(expressions: list[Expression], path: Path) -> None:
    path.write_text(json.dumps([asdict(e) for e in expressions], ensure_ascii=False),
                    encoding="utf-8")


def load_expressions(path: Path) -> list[Expression]:
    return [Expression(**e) for e in json.loads(path.read_text(encoding="utf-8"))]


def verify(root: Path, expressions: list[Expression]) -> list[str]:
    """Problems with a generated dataset: wrong resolutions, unannotated expressions."""
    from helpers.resolution import dates

    problems = []
    for e in expressions:
        anchor = date.fromisoformat(e.anchor) if e.anchor else None
        try:
            got = dates.resolve(e.text, datetime.fromisoformat(e.reference), anchor,
                                language=e.language)
        except dates.DateResolutionError as err:
            problems.append(f"{e.text!r}: {err}")
            continue
        if got.earliest.date().isoformat() != e.expected_day:
            problems.append(f"{e.text!r} read from {e.reference}: {got.earliest.date()} "
                            f"instead of {e.expected_day}")
    raw = Path(root) / "data" / "raw"
    for text_path in sorted((raw / "sources").glob("*.txt")):
        meta = yaml.safe_load(text_path.with_suffix(".yaml").read_text(encoding="utf-8"))
        notes = yaml.safe_load((raw / "annotations" / f"{text_path.stem}.yaml")
                               .read_text(encoding="utf-8"))
        wanted = {e["date_text"] for e in notes["events"] if e.get("date_text")}
        wanted |= {e["deadline"]["date_text"] for e in notes["events"] if e.get("deadline")}
        wanted |= {d["text"] for d in notes.get("dismissed", [])}
        reference = datetime.fromisoformat(str(meta["published"]))
        text = text_path.read_text(encoding="utf-8")
        found = dates.find_expressions(text, reference)
        for item in found:
            if not any(w in item.text or item.text in w for w in wanted):
                problems.append(f"{text_path.name}: unexpected expression {item.text!r}")
        if len(found) != len(wanted):
            problems.append(f"{text_path.name}: found {[f.text for f in found]}, "
                            f"annotated {sorted(wanted)}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=10)
    parser.add_argument("--out", type=Path, required=True,
                        help="project-like folder: the data goes in OUT/data/raw")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--verify", action="store_true",
                        help="check resolutions and coverage, then build the tables")
    args = parser.parse_args(argv)
    expressions = generate(args.out, args.cases, seed=args.seed)
    save_expressions(expressions, args.out / "expressions.json")
    print(f"{args.cases} cases, {len(expressions)} date expressions written to "
          f"{args.out / 'data' / 'raw'}")
    if args.verify:
        problems = verify(args.out, expressions)
        for problem in problems:
            print("  " + problem)
        from helpers.build import build_tables
        from helpers.core.errors import DatasetError
        try:
            tables = build_tables(args.out / "data" / "raw", args.out)
        except DatasetError as err:
            print(err.render())
            return 1
        print(f"verified: {len(problems)} problem(s); build_tables gives "
              f"{len(tables.events)} events, {len(tables.sources)} sources")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
