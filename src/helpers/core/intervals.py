"""A bounded date: the one interval type, from the resolver to the figures.

Every date in the project is an interval of moments, both ends inclusive to the second, at
the precision a source gave it: a resolved expression (helpers.resolution.dates), a hand date
(helpers.resolution.hand), an event's dating in the build, one source's date in the derive
step, one version of a date in a figure. Ends are datetimes (aware in the build, naive local
time once published) or pandas Timestamps; the arithmetic is the same.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd

from helpers.core.labels import is_missing
from helpers.core.schema import bounds_columns
from helpers.core.vocab import DATE_PRECISIONS

# Precisions from the finest; a date this fine or finer is drawn as a point.
PRECISION_RANK = {name: rank for rank, name in enumerate(DATE_PRECISIONS)}
DAY_OR_FINER = ("minute", "hour", "part_of_day", "day")


@dataclass(frozen=True)
class Interval:
    """Every moment from `earliest` to `latest`, both inclusive, at `precision`; `method` says
    how it was obtained and `value` is its TIMEX3-style value ("" when not known)."""

    earliest: datetime
    latest: datetime
    precision: str
    method: str = ""
    value: str = ""

    @property
    def mid(self) -> datetime:
        """The middle moment, to the second below."""
        middle = self.earliest + (self.latest - self.earliest) / 2
        if isinstance(middle, pd.Timestamp):
            return middle.floor("s")
        return middle - timedelta(microseconds=middle.microsecond)

    @property
    def is_point(self) -> bool:
        return self.precision in DAY_OR_FINER

    def overlaps(self, other: Interval) -> bool:
        return self.earliest <= other.latest and other.earliest <= self.latest

    def holds(self, other: Interval) -> bool:
        """True when this interval strictly contains `other` ("en mars" holds "le 9 mars")."""
        return (self.earliest <= other.earliest and other.latest <= self.latest
                and (self.earliest, self.latest) != (other.earliest, other.latest))

    @classmethod
    def from_row(cls, row: dict, kind: str = "date") -> Interval | None:
        """The date (`kind` "date") or deadline ("deadline") of a published row of events or
        case_timeline; None when the row has no bounds."""
        earliest, latest, precision = bounds_columns(kind)
        lo, hi, given = row.get(earliest), row.get(latest), row.get(precision)
        if is_missing(lo) or is_missing(hi):
            return None
        return cls(pd.Timestamp(lo), pd.Timestamp(hi), "day" if is_missing(given) else str(given))
