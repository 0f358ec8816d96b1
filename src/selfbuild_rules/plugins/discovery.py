"""Finding installed base regulations and modules through entry points, and loading them.

Installed code is read from package metadata first and imported only when named, so
nothing runs just because it is installed. Two distributions that claim one name are
an error naming both, so a package cannot take another's place unnoticed.

>>> from selfbuild_rules.evaluation import base_for
>>> base_for().id in installed_regulations()
True
"""

from __future__ import annotations

import sys
from importlib import metadata
from typing import TypeVar

import attrs

from selfbuild_rules.internal.i18n import N_
from selfbuild_rules.plugins import integrity
from selfbuild_rules.plugins.base import Base
from selfbuild_rules.plugins.modules import Module, ModuleError

__all__ = [
    "MODULES_GROUP",
    "REGULATIONS_GROUP",
    "Installed",
    "installed",
    "installed_modules",
    "installed_regulations",
    "load_base",
    "load_module",
    "note_origin",
    "origin_of",
]

#: The entry-point group under which installed modules make themselves known.
MODULES_GROUP = "selfbuild_rules.modules"
#: The entry-point group under which installed base regulations make themselves known.
REGULATIONS_GROUP = "selfbuild_rules.regulations"

T = TypeVar("T")


@attrs.frozen
class Installed:
    """One installed plug-in: its name, where it lives, and the distribution that ships it."""

    name: str
    value: str
    distribution: str
    version: str


def _found(group: str) -> dict[str, list[Installed]]:
    claims: dict[str, list[Installed]] = {}
    for ep in metadata.entry_points(group=group):
        dist = getattr(ep, "dist", None)
        shipped = Installed(
            ep.name,
            ep.value,
            dist.metadata["Name"] if dist is not None else "?",
            dist.version if dist is not None else "?",
        )
        if shipped not in claims.setdefault(ep.name, []):
            claims[ep.name].append(shipped)
    return dict(sorted(claims.items()))


def _one(name: str, claims: list[Installed]) -> Installed:
    """The one distribution that ships ``name``; :class:`ModuleError` naming all when not."""
    if len(claims) > 1:
        who = " and ".join(f"{c.distribution} {c.version} ({c.value})" for c in claims)
        told = N_("{name}: claimed by more than one distribution: {claims}")
        raise ModuleError(told.format(name=name, claims=who))
    return claims[0]


def _listed(group: str) -> dict[str, str]:
    return {name: _one(name, claims).value for name, claims in _found(group).items()}


def installed_modules() -> dict[str, str]:
    """Installed modules by id, with where they live, read without importing them;
    :class:`ModuleError` when two distributions claim one id."""
    return _listed(MODULES_GROUP)


def installed_regulations() -> dict[str, str]:
    """Installed base regulations by id, with where they live, read without importing
    them; :class:`ModuleError` when two distributions claim one id."""
    return _listed(REGULATIONS_GROUP)


def installed(group: str, name: str) -> Installed | None:
    """The distribution that ships plug-in ``name`` of ``group``, if one does."""
    claims = _found(group).get(name)
    return None if claims is None else _one(name, claims)


#: The plug-ins loaded through their entry points, with the distribution each came from.
_ORIGINS: list[tuple[object, Installed]] = []


def note_origin(plugin: object, origin: Installed) -> None:
    """Remember the distribution ``plugin`` (a module or base) was loaded from."""
    if origin_of(plugin) is None:
        _ORIGINS.append((plugin, origin))


def origin_of(plugin: object) -> Installed | None:
    """The distribution a loaded module or base came from; ``None`` for one made in code.

    >>> origin_of(object()) is None
    True
    """
    return next((origin for made, origin in _ORIGINS if made is plugin), None)


def _load(group: str, what: str, name: str, kind: type[T]) -> T:
    found = _found(group)
    if name not in found:
        known = ", ".join(found)
        told = N_("{what} {name}: not installed (installed: {known})")
        if not known:  # "none" is a word, not a name: a message of its own
            told = N_("{what} {name}: not installed (installed: none)")
        raise ModuleError(told.format(what=what, name=name, known=known))
    claim = _one(name, found[name])
    entry = metadata.EntryPoint(name, claim.value, group)

    def load() -> object:
        loaded = entry.load()
        return loaded() if callable(loaded) and not isinstance(loaded, kind) else loaded

    try:
        # Its first import runs its code: watched, so that one rewriting the law is refused.
        made = load() if entry.module in sys.modules else integrity.watched(load, what, name)
    except ValueError as exc:
        raise ModuleError(str(exc)) from None
    except (Exception, SystemExit) as exc:  # third-party code: reported, never let through
        told = N_("{what} {name}: failed to import: {error}")
        error = f"{type(exc).__name__}: {exc}"
        raise ModuleError(told.format(what=what, name=name, error=error)) from None
    if not isinstance(made, kind):
        given = type(made).__name__
        told = N_("{what} {name}: entry point gives {given}, not a {kind}")
        raise ModuleError(told.format(what=what, name=name, given=given, kind=kind.__name__))
    note_origin(made, claim)
    return made


def load_module(name: str) -> Module:
    """Import the installed module ``name``; a :class:`ModuleError` names it on failure."""
    module = _load(MODULES_GROUP, N_("module"), name, Module)
    if module.id != name:
        told = N_("{what} {name}: declares id {id}")
        raise ModuleError(told.format(what=N_("module"), name=name, id=repr(module.id)))
    return module


def load_base(name: str) -> Base:
    """Import the installed base regulation ``name``; :class:`ModuleError` on failure."""
    base = _load(REGULATIONS_GROUP, N_("regulation"), name, Base)
    if base.id != name:
        told = N_("{what} {name}: declares id {id}")
        raise ModuleError(told.format(what=N_("regulation"), name=name, id=repr(base.id)))
    return base
