"""Whether a pending obligation is on track or at risk: one rule, read from named parameters.

A pending result owes something still (what :class:`~selfbuild_rules.rules.conditions.Needed`
says) or owes nothing more so far (an upper bound not exceeded, every item met while
more may arise). The second is always on track. The first is at risk when

- fewer than ``warning.days_left`` days remain before the last day it can be met, or
- the pace so far falls short: the count so far is below ``warning.pace_percent`` per
  cent of the linear share of the requirement for the days of the window gone by (at
  100 %: what the pace so far would add by then does not cover what is still needed).
  Only requirements of at least ``warning.pace_from`` units are paced: one meeting or
  one visit a year is not spread over the year, so "none yet" says nothing about it.

A base regulation declares the three parameters in its table to set or let modules
change them; without them the defaults here apply.

>>> from datetime import date
>>> from selfbuild_rules.law.periods import DateRange
>>> from selfbuild_rules.rules.conditions import AtLeast, Tally
>>> window = DateRange(date(2018, 2, 2), date(2018, 12, 31))
>>> behind = AtLeast(55, Tally(20, room=184, by=window.end)).evaluate()
>>> OutlookRule().judge(behind, date(2018, 6, 30), window).outlook
<Outlook.AT_RISK: 'at_risk'>
>>> ahead = AtLeast(55, Tally(41, room=184, by=window.end)).evaluate()
>>> OutlookRule().judge(ahead, date(2018, 6, 30), window).outlook
<Outlook.ON_TRACK: 'on_track'>
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date

import attrs

from selfbuild_rules.law.periods import DateRange
from selfbuild_rules.law.timeline import Timeline
from selfbuild_rules.rules.conditions import Outcome

__all__ = ["DAYS_LEFT", "PACE_FROM", "PACE_PERCENT", "Forecast", "Outlook", "OutlookRule"]

#: At risk when fewer days than this remain before the last day something can be met.
DAYS_LEFT = "warning.days_left"
#: At risk when the count so far is below this per cent of the linear share due by now.
PACE_PERCENT = "warning.pace_percent"
#: The pace rule applies to requirements of at least this many units.
PACE_FROM = "warning.pace_from"


class Outlook(enum.Enum):
    """How a pending result looks: ``on_track`` or ``at_risk``.

    >>> Outlook("at_risk") is Outlook.AT_RISK
    True
    """

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"


@attrs.frozen
class Forecast:
    """An outlook and, when at risk, which test found it (``days_left`` or ``pace``).

    >>> Forecast(Outlook.ON_TRACK).reason is None
    True
    """

    outlook: Outlook
    reason: str | None = None


_ON_TRACK = Forecast(Outlook.ON_TRACK)


@attrs.frozen
class OutlookRule:
    """The outlook rule with its three numbers (the parameters' defaults).

    >>> OutlookRule().days_left, OutlookRule().pace_percent, OutlookRule().pace_from
    (30, 100, 10)
    """

    days_left: int = 30
    pace_percent: int = 100
    pace_from: int = 10

    @classmethod
    def of(cls, parameters: Mapping[str, Timeline], day: date) -> OutlookRule:
        """The rule as the parameters in force on ``day`` set it (defaults for any the
        base does not declare)."""
        default = cls()

        def read(name: str, fallback: int) -> int:
            if name not in parameters:
                return fallback
            value = parameters[name].at(day).value
            assert isinstance(value, int)
            return value

        return cls(
            read(DAYS_LEFT, default.days_left),
            read(PACE_PERCENT, default.pace_percent),
            read(PACE_FROM, default.pace_from),
        )

    def judge(self, outcome: Outcome, as_of: date, window: DateRange | None) -> Forecast:
        """The forecast for an open ``outcome`` as of ``as_of``, measured over ``window``."""
        needed = outcome.needed
        if needed is None:
            return _ON_TRACK  # nothing more is owed so far
        if (needed.by - as_of).days < self.days_left:
            return Forecast(Outlook.AT_RISK, "days_left")
        if self._behind(outcome, as_of, window):
            return Forecast(Outlook.AT_RISK, "pace")
        return _ON_TRACK

    def _behind(self, outcome: Outcome, as_of: date, window: DateRange | None) -> bool:
        required, measured = outcome.minimum, outcome.measured
        if window is None or required is None or measured is None or outcome.items is not None:
            return False  # items are met one by one, not at a pace
        if not self.pace_percent or required < self.pace_from:
            return False
        gone = (min(as_of, window.end) - window.start).days + 1
        if gone <= 0:
            return False  # the window has not begun: there is no pace yet
        # measured < pace% × required × gone / window days, in whole numbers
        return measured * 100 * window.days < self.pace_percent * required * gone
