"""The shared tallies: what is counted so far inside a window, as known by ``as_of``,
and how much more may still come (see :class:`~selfbuild_rules.rules.conditions.Tally`).

Every rule counts through these, so every rule reads windows, ``as_of`` and the
room left alike.

>>> from selfbuild_rules.law.periods import DateRange
>>> year = DateRange(date(2018, 1, 1), date(2018, 12, 31))
>>> tally_events([("v-1", date(2018, 3, 1)), ("v-2", date(2018, 9, 1))], year,
...              date(2018, 6, 30)).facts
('v-1',)
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date
from types import ModuleType
from typing import TYPE_CHECKING

from selfbuild_rules.law.periods import DateRange, Span, count_day_numbers, max_overlap
from selfbuild_rules.rules import trace as _trace
from selfbuild_rules.rules.conditions import AtLeast, Measure, Tally

if TYPE_CHECKING:
    from selfbuild_rules.rules.tallied import Tallied

__all__ = [
    "tally_dated",
    "tally_days",
    "tally_events",
    "tally_overlap",
    "tally_records",
    "tally_spans",
    "within_deadline",
]


def within_deadline(
    events: Iterable[tuple[str, date]], start: date, due: date, as_of: date
) -> AtLeast:
    """Something happened between ``start`` and ``due`` (both included), as known by ``as_of``.

    >>> within_deadline([("ss-1", date(2018, 3, 22))], date(2018, 3, 20), date(2018, 3, 27),
    ...                 date(2019, 1, 1)).evaluate().truth
    <Truth.TRUE: 'true'>
    """
    return AtLeast(1, tally_events(events, _between(start, due), as_of))


@functools.lru_cache(maxsize=4096)
def _between(start: date, due: date) -> DateRange:
    # Members mostly share their deadlines: one window each, not one per member.
    return DateRange(start, due)


def _tallied() -> ModuleType:
    """The module that counts while recording (:mod:`.trace`), loaded when first needed."""
    from selfbuild_rules.rules import tallied

    return tallied


def _traced(made: Tallied, by: date | None, measure: Measure | None = None) -> Tally:
    return Tally(made.count, made.facts, made.room, measure, by, made)


def _known(window: DateRange, as_of: date) -> DateRange | None:
    # Members mostly share their windows: each is cut at ``as_of`` once, cached by its
    # days (dates hash in C; a DateRange hashes in Python, once per tally).
    return _known_part(window.start, window.end, as_of)


@functools.lru_cache(maxsize=4096)
def _known_part(start: date, end: date, as_of: date) -> DateRange | None:
    return DateRange(start, end).until(as_of)


def _days_left(window: DateRange, as_of: date) -> int:
    return _days_after(window.start, window.end, as_of)


@functools.lru_cache(maxsize=4096)
def _days_after(start: date, end: date, as_of: date) -> int:
    later = DateRange(start, end).after(as_of)
    return later.days if later else 0


def tally_days(spans: Iterable[tuple[str, Span]], window: DateRange, as_of: date) -> Tally:
    """Distinct days of ``spans`` inside ``window`` known by ``as_of``, and days left."""
    if _trace.on:  # one test of one number when not tracing: nothing else
        return _traced(_tallied().days(list(spans), window, as_of), window.end)
    room = _days_left(window, as_of)
    known = _known(window, as_of)
    if known is None:
        return Tally(0, (), room, None, window.end)
    first, last = known.start, known.end
    # One pass to day numbers, each with its record, kept in the order given (the
    # facts' order) and then sorted in place: a member has some forty trips. The test
    # of :func:`_touching`, inline: its list of pairs first costs research days 6%.
    runs = [
        (s.start.toordinal(), s.end.toordinal(), f)
        for f, s in spans
        if s.start <= last and s.end >= first
    ]
    facts = tuple([run[2] for run in runs])
    runs.sort()
    days = count_day_numbers(runs, first.toordinal(), last.toordinal())
    # Positional: a keyword call costs more, once per member.
    return Tally(days, facts, room, None, window.end)


def _touching(spans: Iterable[tuple[str, Span]], known: DateRange) -> list[tuple[str, Span]]:
    """The spans that share a day with ``known``, in the order given."""
    # Compared, not intersected: an intersection is a new DateRange per span.
    first, last = known.start, known.end
    return [(f, s) for f, s in spans if s.start <= last and s.end >= first]


def tally_spans(spans: Iterable[tuple[str, DateRange]], window: DateRange, as_of: date) -> Tally:
    """Spans (designations, tenures) touching ``window`` as known by ``as_of``."""
    if _trace.on:
        return _traced(_tallied().spans(list(spans), window, as_of), window.end)
    known = _known(window, as_of)
    used = [] if known is None else _touching(spans, known)
    room = None if as_of < window.end else 0
    return Tally(len(used), tuple([f for f, _ in used]), room, None, window.end)


def tally_overlap(
    spans: Iterable[tuple[str, DateRange]],
    window: DateRange,
    as_of: date,
    measure: Measure | None = None,
) -> Tally:
    """The most spans in force on one day of ``window`` known by ``as_of`` (counted as
    ``measure``, when that differs from the rule's)."""
    if _trace.on:
        peak = _tallied().spans(list(spans), window, as_of, peak=True)
        return _traced(peak, window.end, measure)
    known = _known(window, as_of)
    used = [] if known is None else _touching(spans, known)
    most = max_overlap([s for _, s in used], known) if used else 0
    room = None if as_of < window.end else 0
    return Tally(most, tuple([f for f, _ in used]), room, measure, window.end)


def tally_events(events: Iterable[tuple[str, date]], window: DateRange, as_of: date) -> Tally:
    """Events dated inside ``window`` and known by ``as_of``; open while the window is."""
    if _trace.on:
        return _traced(_tallied().events(list(events), window, as_of), window.end)
    known = _known(window, as_of)
    if known is None:
        facts: tuple[str, ...] = ()
    else:  # compared inline, not ``day in known``: a method call per event
        first, last = known.start, known.end
        facts = tuple([i for i, day in events if first <= day <= last])
    return Tally(len(facts), facts, None if as_of < window.end else 0, None, window.end)


def tally_records(ids: Iterable[str], *, open: bool, by: date | None = None) -> Tally:
    """Undated records, taken as they stand; ``open`` while more may still be added
    (until ``by``, when known)."""
    if _trace.on:
        return _traced(_tallied().records(tuple(ids), open=open), by)
    facts = tuple(ids)
    return Tally(len(facts), facts, None if open else 0, None, by)


def tally_dated(
    records: Iterable[tuple[str, date | None]], window: DateRange, as_of: date
) -> Tally:
    """Records of the window's year, each with the day it took effect or ``None`` when
    undated: a dated one counts once that day has come, by ``as_of`` and by the window's
    end; an undated one as it stands (known as of ``as_of``) once the window's year has
    begun. Open while the window is.

    >>> year = DateRange(date(2018, 1, 1), date(2018, 12, 31))
    >>> t = tally_dated([("lp-1", None), ("lp-2", date(2018, 9, 1))], year, date(2018, 6, 30))
    >>> t.facts, t.room, t.by
    (('lp-1',), None, datetime.date(2018, 12, 31))
    """
    if _trace.on:
        return _traced(_tallied().dated(list(records), window, as_of), window.end)
    last = min(as_of, window.end)
    begun = as_of.year >= window.end.year  # nothing of a year is known before it begins
    facts = tuple([i for i, day in records if (begun if day is None else day <= last)])
    return Tally(len(facts), facts, None if as_of < window.end else 0, None, window.end)
