"""Every threshold and interpretation as a named parameter with a documented default.

Nothing in a rule is a bare number: each value is looked up in its base regulation's
:class:`ParameterTable`, and each result lists the parameters it used, so a reader
always sees which reading was applied.

>>> from selfbuild_rules import PARAMETERS
>>> Parameters({"research.months": 3}, table=PARAMETERS)["research.months"]
3
>>> Parameters({"research.month": 3}, table=PARAMETERS)
Traceback (most recent call last):
...
ValueError: unknown parameter 'research.month'
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType

import attrs

from selfbuild_rules.internal import exact as _exact
from selfbuild_rules.internal.i18n import N_
from selfbuild_rules.internal.text import quoted
from selfbuild_rules.law.periods import parse_day

__all__ = ["IN_FORCE", "LARGEST", "Direction", "Parameter", "ParameterTable", "Parameters"]

#: The parameter every base regulation defines: the first day its provisions are in force.
IN_FORCE = "regulation.in_force_from"

#: The largest whole-number parameter: every one is a count or a number of days,
#: months or items, and date arithmetic with more days than this could leave the calendar.
LARGEST = 10_000

_BITS = 64  # numbers shown in full up to this size: 20 digits at most
_MONTH_DAY = re.compile(r"[0-9]{2}-[0-9]{2}")


class Direction(enum.Enum):
    """Which way a value makes an obligation stricter.

    ``MINIMUM``: a larger value is stricter; ``MAXIMUM``: a smaller value is stricter;
    ``DEADLINE``: an earlier date or shorter delay is stricter; ``ALLOWED``: a set of
    what is accepted, fewer is stricter; ``COUNTED``: a set of what counts against the
    subject, more is stricter; ``CHOICE``: a reading with no order between its options.

    >>> from selfbuild_rules import PARAMETERS, Direction
    >>> PARAMETERS["research.months"].direction is Direction.MINIMUM
    True
    >>> PARAMETERS["integrity.violation_kinds"].direction.value
    'counted'
    """

    MINIMUM = "minimum"
    MAXIMUM = "maximum"
    DEADLINE = "deadline"
    ALLOWED = "allowed"
    COUNTED = "counted"
    CHOICE = "choice"


@attrs.frozen
class Parameter:
    """A named value a rule depends on: default, unit, the provision it reads.

    >>> from selfbuild_rules import PARAMETERS
    >>> p = PARAMETERS["relay.deadline_days"]
    >>> p.default, p.unit, p.citation, p.direction.value
    (7, 'days', '2.relay-directives', 'deadline')
    """

    name: str
    default: object
    unit: str
    citation: str
    description: str
    direction: Direction
    choices: tuple[object, ...] = ()

    def strictness(self, old: object, new: object) -> int | None:
        """``1`` if ``new`` is stricter than ``old``, ``0`` the same, ``-1`` looser.

        ``None`` when the two cannot be ordered (a different reading of a choice, or
        sets neither of which contains the other): such a change is treated as one
        that may loosen. Both values are checked first (:meth:`check`), so only exact
        built-in values are ever compared: a subclass's own comparisons never decide.

        >>> from selfbuild_rules import PARAMETERS
        >>> PARAMETERS["research.months"].strictness(2, 3)
        1
        >>> PARAMETERS["contact_point.kinds"].strictness(("village", "school"), ("village",))
        1
        """
        old, new = self.check(old), self.check(new)
        if old == new:
            return 0
        d = self.direction
        if d in (Direction.ALLOWED, Direction.COUNTED):
            before, after = set(old), set(new)  # type: ignore[call-overload]
            if before == after:
                return 0
            if before <= after or after <= before:
                grew = before < after
                return 1 if grew == (d is Direction.COUNTED) else -1
            return None
        if d is Direction.CHOICE:
            return None
        larger = new > old  # type: ignore[operator]
        return 1 if larger == (d is Direction.MINIMUM) else -1

    def check(self, value: object) -> object:
        """``value`` as an exact built-in value if it suits this parameter; ``ValueError``
        saying why not.

        Whole numbers are counts or durations: from 0 to ``LARGEST`` (10,000). A day of the
        year (unit ``MM-DD``) must exist in every year, so ``02-29`` is refused. Dates
        are ``date`` objects or ``YYYY-MM-DD`` texts; a ``datetime`` is refused.

        >>> from selfbuild_rules import PARAMETERS
        >>> PARAMETERS["regulation.in_force_from"].check("2018-01-01")
        datetime.date(2018, 1, 1)
        >>> PARAMETERS["research.months"].check(-3)
        Traceback (most recent call last):
        ...
        ValueError: research.months: -3 is not a whole number from 0 to 10,000
        """
        try:
            return self._exact(value)
        except TypeError as exc:  # a value of the wrong type, named without its repr
            raise ValueError(f"{self.name}: {exc}") from None

    def _exact(self, value: object) -> object:
        default = self.default
        if isinstance(default, tuple):
            names = _exact.texts(value)
            unknown = [n for n in names if n not in self.choices]
            if unknown:
                options = " | ".join(map(str, self.choices))
                told = N_("{value} is not one of {choices}")
                raise ValueError(
                    f"{self.name}: {told.format(value=quoted(unknown[0]), choices=options)}"
                )
            return names
        if isinstance(default, _dt.date):
            if issubclass(type(value), str):
                return self._date(_exact.text(value))
            return _exact.day(value)
        if isinstance(default, int):
            number = _exact.whole(value)
            if not 0 <= number <= LARGEST:
                # Never str() a huge number: past 4,300 digits that raises itself.
                shown = str(number) if number.bit_length() <= _BITS else "a larger number"
                told = N_("{value} is not a whole number from 0 to {largest}")
                raise ValueError(f"{self.name}: {told.format(value=shown, largest=f'{LARGEST:,}')}")
            return number
        if isinstance(default, str):
            text = _exact.text(value)
            if self.choices and text not in self.choices:
                options = " | ".join(map(str, self.choices))
                told = N_("{value} is not one of {choices}")
                raise ValueError(f"{self.name}: {told.format(value=quoted(text), choices=options)}")
            if self.unit == "MM-DD" and not _is_month_day(text):
                told = N_("{value} is not a day of every year (MM-DD, 01-01 to 12-31)")
                raise ValueError(f"{self.name}: {told.format(value=quoted(text))}")
            return text
        return value  # pragma: no cover - every base parameter has one of the kinds above

    def _date(self, text: str) -> _dt.date:
        try:
            return parse_day(text)
        except ValueError as exc:
            raise ValueError(f"{self.name}: {exc}") from None


def _is_month_day(text: str) -> bool:
    """Whether ``text`` is ``MM-DD`` naming a day that every year has (not 02-29)."""
    if not _MONTH_DAY.fullmatch(text):
        return False
    try:
        _dt.date(2001, int(text[:2]), int(text[3:]))  # 2001: not a leap year
    except ValueError:
        return False
    return True


def _by_name(parameters: Iterable[Parameter] | Mapping[str, Parameter]) -> Mapping[str, Parameter]:
    found: dict[str, Parameter] = {}
    for p in parameters.values() if isinstance(parameters, Mapping) else parameters:
        if p.name in found:
            raise ValueError(f"parameter {p.name!r} is defined twice")
        found[p.name] = p
    return MappingProxyType(found)


@attrs.frozen
class ParameterTable(Mapping[str, Parameter]):
    """A base regulation's parameters by name: read-only once made.

    >>> table = ParameterTable([Parameter("visits.min", 1, "visits", "4.visits",
    ...                                   "Visits a year.", Direction.MINIMUM)])
    >>> table["visits.min"].default, list(table)
    (1, ['visits.min'])
    """

    _by_name: Mapping[str, Parameter] = attrs.field(converter=_by_name)

    def __getitem__(self, name: str) -> Parameter:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)

    def __reduce__(self) -> tuple[type[ParameterTable], tuple[tuple[Parameter, ...]]]:
        return (ParameterTable, (tuple(self._by_name.values()),))

    def defaults(self) -> dict[str, object]:
        """Every parameter's default value, by name."""
        return {name: p.default for name, p in self._by_name.items()}


def _as_dict(values: Mapping[str, object]) -> dict[str, object]:
    return dict(values)


@attrs.frozen
class Parameters(Mapping[str, object]):
    """A parameter table's defaults with any overrides applied, each override checked.

    >>> from selfbuild_rules import PARAMETERS, Parameters
    >>> p = Parameters({"research.pro_rating": "none"}, table=PARAMETERS)
    >>> p["research.pro_rating"], p.is_default("research.pro_rating")
    ('none', False)
    """

    overrides: Mapping[str, object] = attrs.field(factory=dict, converter=_as_dict)
    table: ParameterTable = attrs.field(kw_only=True, repr=False)
    _values: dict[str, object] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        values = self.table.defaults()
        for given, value in self.overrides.items():
            try:
                name = _exact.text(given)
            except TypeError as exc:
                raise ValueError(N_("unknown parameter: {reason}").format(reason=exc)) from None
            if name not in self.table:
                raise ValueError(N_("unknown parameter {name}").format(name=quoted(name)))
            values[name] = self.table[name].check(value)
        object.__setattr__(self, "_values", values)

    def __getitem__(self, name: str) -> object:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def is_default(self, name: str) -> bool:
        """Whether ``name`` keeps its documented default."""
        return self._values[name] == self.table[name].default
