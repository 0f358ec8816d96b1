"""Finding installed base regulations and modules through entry points, and loading them.

Installed code is read from package metadata first and imported only when named, so
nothing runs just because it is installed. Two distributions that claim one name are
an error naming both, so a package cannot take another's place unnoticed.

>>> sorted(installed_regulations())[:1]
['tianjin-2018']
"""

from __future__ import annotations

from importlib import metadata
from typing import TypeVar

import attrs

from selfbuild_rules.plugins.base import Base
from selfbuild_rules.plugins.modules import Module, ModuleError

__all__ = [
    "MODULES_GROUP",
    "REGULATIONS_GROUP",
    "Installed",
    "installed_modules",
    "installed_regulations",
    "load_base",
    "load_module",
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


def _claims(group: str) -> dict[str, Installed]:
    """Each name with the one distribution that ships it; :class:`ModuleError` when two do."""
    found = _found(group)
    for name, claims in found.items():
        if len(claims) > 1:
            who = " and ".join(f"{c.distribution} {c.version} ({c.value})" for c in claims)
            raise ModuleError(f"{name}: claimed by more than one distribution: {who}")
    return {name: claims[0] for name, claims in found.items()}


def installed_modules() -> dict[str, str]:
    """Installed modules by id, with where they live, read without importing them."""
    return {name: found.value for name, found in _claims(MODULES_GROUP).items()}


def installed_regulations() -> dict[str, str]:
    """Installed base regulations by id, with where they live, read without importing them."""
    return {name: found.value for name, found in _claims(REGULATIONS_GROUP).items()}


def _load(group: str, what: str, name: str, kind: type[T]) -> T:
    claims = _claims(group)
    if name not in claims:
        known = ", ".join(claims) or "none"
        raise ModuleError(f"{what} {name}: not installed (installed: {known})")
    entry = metadata.EntryPoint(name, claims[name].value, group)
    try:
        loaded = entry.load()
        made = loaded() if callable(loaded) and not isinstance(loaded, kind) else loaded
    except (Exception, SystemExit) as exc:  # third-party code: reported, never let through
        raise ModuleError(f"{what} {name}: failed to import: {type(exc).__name__}: {exc}") from None
    if not isinstance(made, kind):
        given = type(made).__name__
        raise ModuleError(f"{what} {name}: entry point gives {given}, not a {kind.__name__}")
    return made


def load_module(name: str) -> Module:
    """Import the installed module ``name``; a :class:`ModuleError` names it on failure."""
    module = _load(MODULES_GROUP, "module", name, Module)
    if module.id != name:
        raise ModuleError(f"module {name}: declares id {module.id!r}")
    return module


def load_base(name: str) -> Base:
    """Import the installed base regulation ``name``; :class:`ModuleError` on failure."""
    base = _load(REGULATIONS_GROUP, "regulation", name, Base)
    if base.id != name:
        raise ModuleError(f"regulation {name}: declares id {base.id!r}")
    return base
