"""Locate verbatim quotes in stored texts, tolerant of typographic variants.

Sources mix ’ and ', and use U+00A0 where an annotator types a space. We compare a
normalised copy of the text but report offsets into the original: every substitution
below maps one character to one character, so offsets carry over unchanged.
"""
from __future__ import annotations

import difflib
from functools import lru_cache

# One-to-one substitutions only (see module docstring).
_EQUIVALENTS = str.maketrans({
    "’": "'", "‘": "'", "ʼ": "'", "`": "'",
    "“": '"', "”": '"', "«": '"', "»": '"',
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ",
    "–": "-", "—": "-", "\u2011": "-",
})


@lru_cache(maxsize=32)  # a stored text is searched once per quote, date and dismissal
def normalise(text: str) -> str:
    """Same length as `text`, with typographic variants folded to plain ASCII forms."""
    return text.translate(_EQUIVALENTS)


def find_all(needle: str, haystack: str) -> list[tuple[int, int]]:
    """All (start, end) spans of `needle` in `haystack`, typographic variants tolerated."""
    if not needle:
        return []
    # Plain substring search, non-overlapping: one compiled regex per quote would overflow
    # re's cache of 512 patterns at 10,000 quotes.
    target, text = normalise(needle), normalise(haystack)
    spans, start = [], text.find(target)
    while start != -1:
        spans.append((start, start + len(target)))
        start = text.find(target, start + len(target))
    return spans


def nearest_passage(needle: str, haystack: str) -> str:
    """The passage of `haystack` most like `needle`, to suggest a fix for a quote not found."""
    if not needle or not haystack:
        return ""
    target, text = normalise(needle), normalise(haystack)
    width = len(target)
    best_ratio, best_start = -1.0, 0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(target)
    step = max(1, width // 4)
    for start in range(0, max(1, len(text) - width + 1), step):
        matcher.set_seq1(text[start:start + width])
        ratio = matcher.quick_ratio()
        if ratio > best_ratio:
            matcher_ratio = matcher.ratio()
            if matcher_ratio > best_ratio:
                best_ratio, best_start = matcher_ratio, start
    # Refine around the best coarse window.
    for start in range(max(0, best_start - step), min(len(text), best_start + step) + 1):
        matcher.set_seq1(text[start:start + width])
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best_ratio, best_start = ratio, start
    return haystack[best_start:best_start + width]
