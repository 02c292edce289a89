"""An event as the build resolves it: its annotation, source, scope, evidence spans and dates."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from helpers.core.intervals import Interval
from helpers.raw.annotations import Annotation
from helpers.raw.sources import Source


@dataclass
class ResolvedEvent:
    annotation: Annotation
    source: Source
    case_id: str | None
    group_id: str | None  # group-level events (police actions, relaunches): their group
    tz: ZoneInfo
    quote_span: tuple[int, int] | None = None
    date_text_span: tuple[int, int] | None = None
    deadline_text_span: tuple[int, int] | None = None
    dating: Interval | None = None    # where the event lies in time, and how we know
    deadline: Interval | None = None

    @property
    def scope(self) -> tuple[str, str]:
        """Event keys live within a case, or within a group for police actions."""
        return ("case", self.case_id) if self.case_id else ("group", self.group_id or "")


def _iso(moment: datetime | None) -> str:
    """Local wall-clock time, without offset: the case's time zone is in cases.csv."""
    return moment.replace(tzinfo=None).isoformat(timespec="seconds") if moment else ""
