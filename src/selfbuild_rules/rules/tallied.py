"""What a tally counted, for a trace: the records counted, the merged day ranges for
research days, and each record left out with why (see :mod:`.trace`).

>>> from datetime import date
>>> from selfbuild_rules.law.periods import DateRange
>>> year = DateRange(date(2018, 1, 1), date(2018, 12, 31))
>>> trips = [("rt-1", DateRange(date(2018, 3, 1), date(2018, 3, 10))),
...          ("rt-2", DateRange(date(2018, 3, 5), date(2018, 3, 12))),
...          ("rt-3", DateRange(date(2017, 5, 1), date(2017, 5, 2)))]
>>> made = days(trips, year, date(2019, 3, 1))
>>> [(str(r.start), str(r.end), r.days, r.records) for r in made.ranges]
[('2018-03-01', '2018-03-12', 12, ('rt-1', 'rt-2'))]
>>> made.count, [(x.record, x.why) for x in made.left_out]
(12, [('rt-3', 'outside_window')])
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import attrs

from selfbuild_rules.law.periods import DateRange, Span, max_overlap

__all__ = [
    "AFTER_AS_OF",
    "OUTSIDE_WINDOW",
    "OVERLAP",
    "Counted",
    "LeftOut",
    "Range",
    "Tallied",
    "dated",
    "days",
    "events",
    "records",
    "spans",
]

#: Why a record was left out of a tally: dated outside the tally's window…
OUTSIDE_WINDOW = "outside_window"
#: …dated inside it but after ``as_of`` (not known yet)…
AFTER_AS_OF = "after_as_of"
#: …or its days all counted already, as another record's (research trips).
OVERLAP = "overlap"


@attrs.frozen
class Counted:
    """A record counted, with its days that count (one day for an event; none for an
    undated record).

    >>> Counted("lp-1").start is None
    True
    """

    record: str
    start: date | None = None
    end: date | None = None


@attrs.frozen
class LeftOut:
    """A record a tally was given but did not count, and why (:data:`OUTSIDE_WINDOW`,
    :data:`AFTER_AS_OF`, :data:`OVERLAP`); ``by``: for an overlap, the records whose
    days hold all of its days."""

    record: str
    why: str
    by: tuple[str, ...] = ()


@attrs.frozen
class Range:
    """Days counted once each: a run of days covered by the records named, merged.

    >>> Range(date(2018, 3, 1), date(2018, 3, 2), 2, ("rt-1",)).days
    2
    """

    start: date
    end: date
    days: int
    records: tuple[str, ...]


@attrs.frozen
class Tallied:
    """What a tally counted: its kind, the window and the part of it known by
    ``as_of``, the count and the room left, the records counted (and for days the
    merged ranges, which sum to the count) and the records left out.

    >>> made = records(["lp-1", "lp-2"], open=False)
    >>> made.kind, made.count, made.facts
    ('records', 2, ('lp-1', 'lp-2'))
    """

    kind: str
    window: DateRange | None
    known: DateRange | None
    count: int
    room: int | None
    counted: tuple[Counted, ...]
    ranges: tuple[Range, ...] = ()
    left_out: tuple[LeftOut, ...] = ()

    @property
    def facts(self) -> tuple[str, ...]:
        """The ids of the records counted, in the order given (the tally's ``facts``)."""
        return tuple(c.record for c in self.counted)


def _known(window: DateRange, as_of: date) -> DateRange | None:
    return window.until(as_of)


def _open(window: DateRange, as_of: date) -> int | None:
    return None if as_of < window.end else 0


def _sorted_out(
    given: Sequence[tuple[str, Span]], window: DateRange, known: DateRange | None
) -> tuple[list[tuple[str, DateRange]], list[LeftOut]]:
    """The part of each span known, or why it is left out, in the order given."""
    kept: list[tuple[str, DateRange]] = []
    left: list[LeftOut] = []
    for record, span in given:
        if span.end < window.start or span.start > window.end:
            left.append(LeftOut(record, OUTSIDE_WINDOW))
        elif known is None or span.start > known.end:
            left.append(LeftOut(record, AFTER_AS_OF))
        else:
            kept.append((record, DateRange(max(span.start, known.start), min(span.end, known.end))))
    return kept, left


def days(given: Sequence[tuple[str, Span]], window: DateRange, as_of: date) -> Tallied:
    """Distinct days of ``given`` spans in ``window`` known by ``as_of``: the merged
    ranges they make, and each span left out with why (a span whose days another's
    already hold is left out as an overlap)."""
    known = _known(window, as_of)
    kept, left = _sorted_out(given, window, known)
    ranges: list[Range] = []
    for record, part in sorted(kept, key=lambda k: (k[1].start, k[1].end, k[0])):
        last = ranges[-1] if ranges else None
        if last is None or part.start.toordinal() > last.end.toordinal() + 1:
            ranges.append(Range(part.start, part.end, part.days, (record,)))
        elif part.end <= last.end:
            left.append(LeftOut(record, OVERLAP, last.records))
        else:
            start = last.start
            ranges[-1] = Range(
                start, part.end, (part.end - start).days + 1, (*last.records, record)
            )
    later = window.after(as_of)
    counted = tuple(Counted(record, part.start, part.end) for record, part in kept)
    total = sum(r.days for r in ranges)
    room = later.days if later else 0
    return Tallied(
        "days", window, known, total, room, counted, tuple(ranges), _ordered(left, given)
    )


def _ordered(left: list[LeftOut], given: Sequence[tuple[str, Any]]) -> tuple[LeftOut, ...]:
    place = {record: i for i, (record, _) in enumerate(given)}
    return tuple(sorted(left, key=lambda x: place.get(x.record, 0)))


def spans(
    given: Sequence[tuple[str, DateRange]], window: DateRange, as_of: date, *, peak: bool = False
) -> Tallied:
    """Spans touching ``window`` as known by ``as_of`` (how many; with ``peak``, the
    most in force on one day)."""
    known = _known(window, as_of)
    kept, left = _sorted_out(given, window, known)
    count = max_overlap(part for _, part in kept) if peak else len(kept)
    counted = tuple(Counted(record, part.start, part.end) for record, part in kept)
    kind = "overlap" if peak else "spans"
    return Tallied(kind, window, known, count, _open(window, as_of), counted, (), tuple(left))


def events(given: Sequence[tuple[str, date]], window: DateRange, as_of: date) -> Tallied:
    """Events dated inside ``window`` and known by ``as_of``; the others with why."""
    counted: list[Counted] = []
    left: list[LeftOut] = []
    for record, day in given:
        if day not in window:
            left.append(LeftOut(record, OUTSIDE_WINDOW))
        elif day > as_of:
            left.append(LeftOut(record, AFTER_AS_OF))
        else:
            counted.append(Counted(record, day, day))
    known = _known(window, as_of)
    room = _open(window, as_of)
    return Tallied("events", window, known, len(counted), room, tuple(counted), (), tuple(left))


def dated(given: Sequence[tuple[str, date | None]], window: DateRange, as_of: date) -> Tallied:
    """Records of the window's year, each with the day it took effect or ``None``: a
    dated one counted once that day has come (by ``as_of`` and the window's end), an
    undated one as it stands once the window's year has begun.

    >>> year = DateRange(date(2018, 1, 1), date(2018, 12, 31))
    >>> made = dated([("lp-1", None), ("lp-2", date(2018, 9, 1))], year, date(2018, 6, 30))
    >>> made.facts, [(x.record, x.why) for x in made.left_out]
    (('lp-1',), [('lp-2', 'after_as_of')])
    """
    last = min(as_of, window.end)
    begun = as_of.year >= window.end.year  # nothing of a year is known before it begins
    counted: list[Counted] = []
    left: list[LeftOut] = []
    for record, day in given:
        if day is not None and day > window.end:
            left.append(LeftOut(record, OUTSIDE_WINDOW))
        elif begun if day is None else day <= last:
            counted.append(Counted(record, day, day))
        else:
            left.append(LeftOut(record, AFTER_AS_OF))
    room = _open(window, as_of)
    known = _known(window, as_of)
    return Tallied("dated", window, known, len(counted), room, tuple(counted), (), tuple(left))


def records(ids: Sequence[str], *, open: bool) -> Tallied:
    """Undated records, each counted as it stands."""
    counted = tuple(Counted(record) for record in ids)
    return Tallied("records", None, None, len(counted), None if open else 0, counted)
