"""The report pages' file names, and the links between them.

One home for the names, used by :mod:`helpers.publish.reports` (which writes the pages) and by the
notebooks (which link to each other only when rendered as reports: in JupyterLab the pages
do not exist, so :class:`Links` gives no link).
"""
from __future__ import annotations

from dataclasses import dataclass

PAIR = ("les-bluets-2022", "cannes-2024")
INDEX = "index.html"
OVERVIEW = "overview.html"
BUILD = "build.html"
CODEBOOK = "codebook.html"
COMPARE_ALL = "compare-all.html"
COMPARE_PAIR = "compare-" + "--".join(PAIR) + ".html"


def case_page(case_id: str) -> str:
    return f"case-{case_id}.html"


def source_page(source_id: str) -> str:
    return f"source-{source_id}.html"


@dataclass(frozen=True)
class Links:
    """Hrefs to the other report pages, or None everywhere when `enabled` is False."""

    enabled: bool = False

    def case(self, case_id: str) -> str | None:
        return case_page(case_id) if self.enabled else None

    def source(self, source_id: str) -> str | None:
        return source_page(source_id) if self.enabled else None

    def cases(self, case_ids) -> dict[str, str]:
        return {c: case_page(c) for c in case_ids} if self.enabled else {}

    def sources(self, source_ids) -> dict[str, str]:
        return {s: source_page(s) for s in source_ids} if self.enabled else {}

    def comparisons(self) -> list[tuple[str, str]]:
        if not self.enabled:
            return []
        return [(COMPARE_PAIR, "Les Bluets and Cannes compared"),
                (COMPARE_ALL, "All cases compared"), (INDEX, "Index of all pages")]
