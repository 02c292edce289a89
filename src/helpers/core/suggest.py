"""\"Did you mean\": the known name nearest to a misspelt one (difflib), for error hints."""
from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

LIST_LIMIT = 15  # beyond this many known names, a hint says how many and where they are


def _fold(text: str) -> str:
    """Without case, accents, or the difference between '_', '-' and spaces."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text)
                    if not unicodedata.combining(c))
    return "-".join(plain.casefold().replace("_", " ").replace("-", " ").split())


def did_you_mean(value: object, known: Iterable[str], cutoff: float = 0.7,
                 synonyms: dict[str, str] | None = None) -> str | None:
    """The known name `value` most likely stands for, or None.

    In order: the same name but for case, '_', '-' or spaces; a synonym given (the French
    word for an event type, say); the only known name containing it (four letters or more);
    the closest spelling, by difflib's ratio, if at least `cutoff`.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    names = [k for k in known if isinstance(k, str)]
    folded: dict[str, str] = {}
    for name in names:
        folded.setdefault(_fold(name), name)
    key = _fold(value)
    if key in folded:
        return folded[key] if folded[key] != value else None
    for word, name in (synonyms or {}).items():
        if _fold(word) == key and name in names:
            return name
    if len(key) >= 4:
        containing = [name for f, name in folded.items() if key in f]
        if len(containing) == 1:
            return containing[0]
    close = difflib.get_close_matches(key, list(folded), n=1, cutoff=cutoff)
    return folded[close[0]] if close else None


def unknown_hint(value: object, known: Iterable[str], label: str = "allowed",
                 synonyms: dict[str, str] | None = None, many: str = "") -> str:
    """The hint for an unknown name: "did you mean 'x'?" when one is likely; else the known
    names after `label` ("allowed: a, b"), or, when there are more than LIST_LIMIT and
    `many` says where they are ("the {n} cases in cases.yaml"), that."""
    names = [k for k in known if isinstance(k, str)]
    guess = did_you_mean(value, names, synonyms=synonyms)
    if guess:
        return f"did you mean {guess!r}?"
    if many and (len(names) > LIST_LIMIT or not names):
        return "not among " + many.format(n=len(names))
    return f"{label}: " + ", ".join(names)


def _filled(value: object) -> bool:
    return value not in (None, "") and not (isinstance(value, str) and not value.strip())


def field_problems(record: dict, required: tuple, known: tuple, problem, unknown_problem,
                   filled=_filled) -> list:
    """Unknown and missing fields of a record, each mistake once: a misspelt field is one
    problem (not also its correct name missing), and a record with several fields left empty
    (a scaffold not filled in yet) is one problem that lists them.

    `problem(field, message)` and `unknown_problem(field, hint)` make the problems; `filled`
    says whether a value counts as given."""
    missing = [name for name in required if not filled(record.get(name))]
    problems = []
    for name in record:
        if name in known:
            continue
        guess = did_you_mean(str(name), known)
        if guess in missing:
            missing.remove(guess)
            problems.append(unknown_problem(str(name), f"did you mean {guess!r}? it is required"))
        else:
            problems.append(unknown_problem(str(name), unknown_hint(str(name), known)))
    if len(missing) > 1:
        problems.append(problem("", "left to fill: " + ", ".join(missing)))
    elif missing:
        problems.append(problem(missing[0], "missing required field"))
    return problems
