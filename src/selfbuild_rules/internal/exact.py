"""Values made exact: the built-in type itself, whatever subclass or impostor was given.

A subclass of ``int``, ``str``, ``date``, ``tuple`` or ``list`` can override every
comparison, its hash and its ``repr`` (and ``__int__``, ``__index__``, ``__str__``,
``toordinal``), so a value that *looks* like ``0`` can claim to be larger than ``2``.
Where a value decides whether a module loosens the law, it is first copied into the
exact built-in type by calling the *built-in* type's own method, unbound
(``int.__index__(value)``, ``date.toordinal(value)``, ``str.__str__(value)``): those
read the object's stored value in C and never dispatch to an override. ``type()`` is
asked instead of ``isinstance``, which an object can fool with a ``__class__`` property.

Each function raises :class:`TypeError` for a value of another type.

>>> class Liar(int):
...     def __gt__(self, other): return True
...     def __repr__(self): return "99"
>>> value = whole(Liar(0))
>>> value, type(value) is int, value > 2
(0, True, False)
>>> whole(True)
Traceback (most recent call last):
...
TypeError: a bool is not a whole number
"""

from __future__ import annotations

import datetime as _dt

__all__ = ["day", "text", "texts", "whole"]


def _kind(value: object) -> str:
    """What a value is, without calling anything the value defines."""
    name = type(value).__name__
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


def whole(value: object) -> int:
    """``value`` as an exact ``int``; ``bool`` refused (``True`` is not a count)."""
    if issubclass(type(value), bool):
        raise TypeError(f"{_kind(value)} is not a whole number")
    if not issubclass(type(value), int):
        raise TypeError(f"{_kind(value)} is not a whole number")
    return int.__index__(value)  # type: ignore[arg-type]


def day(value: object) -> _dt.date:
    """``value`` as an exact ``date``; a ``datetime`` is refused: its day depends on a
    time zone, so the caller must choose the date (``value.date()``)."""
    kind = type(value)
    if issubclass(kind, _dt.datetime):
        raise TypeError(f"{_kind(value)} is not a date: give the day you mean (its .date())")
    if not issubclass(kind, _dt.date):
        raise TypeError(f"{_kind(value)} is not a date")
    return _dt.date.fromordinal(_dt.date.toordinal(value))  # type: ignore[arg-type]


def text(value: object) -> str:
    """``value`` as an exact ``str``."""
    if not issubclass(type(value), str):
        raise TypeError(f"{_kind(value)} is not a string")
    return str.__str__(value)


def texts(value: object) -> tuple[str, ...]:
    """A tuple or list of strings as an exact tuple of exact strings, read through the
    built-in iterator (an overridden ``__iter__`` could answer differently each time)."""
    kind = type(value)
    items: tuple[object, ...]
    if issubclass(kind, tuple):
        items = tuple(tuple.__iter__(value))  # type: ignore[arg-type]
    elif issubclass(kind, list):
        items = tuple(list.__iter__(value))  # type: ignore[arg-type]
    else:
        raise TypeError(f"{_kind(value)} is not a list")
    try:
        return tuple(map(text, items))
    except TypeError as exc:
        raise TypeError(f"each item must be a string: {exc}") from None
