"""A tripwire around loading a plug-in: the plug-in that rewrites the law at import is refused.

A module may change the law only by declaring changes, which are checked and warned
about. Code that instead rewrites things at import — wrapping a base's rule, replacing
a helper a rule calls, editing a parameter's default — would loosen the law silently
for every later evaluation in the process. So the first import of a plug-in is
watched: every live base's rules and parameters, and every function and method of the
library's modules, are noted before and compared after, and a plug-in that changed
any of them is refused, naming what it changed.

This is a tripwire, not a sandbox: a module is code you chose to install and run, with
every power of any Python package (see "Reliability and trust" in the documentation).

>>> from selfbuild_rules.evaluation import base_for
>>> BASE = base_for()  # the bundled base regulation
>>> watched(lambda: "loaded", "module", "demo")
'loaded'
"""

from __future__ import annotations

import sys
import types
import weakref
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TypeVar

from selfbuild_rules.internal.i18n import N_

if TYPE_CHECKING:
    from selfbuild_rules.plugins.base import Base

__all__ = ["register", "snapshot", "watched"]

T = TypeVar("T")
_PACKAGE = "selfbuild_rules"
#: The bases made in this process (weakly held: a base no one holds needs no watching).
_LIVE: weakref.WeakSet[Base] = weakref.WeakSet()


def register(base: Base) -> None:
    """Watch ``base``'s rules and parameters whenever a plug-in is loaded."""
    _LIVE.add(base)


def _code(value: object) -> tuple[int, int]:
    """What identifies a callable's behaviour: the function object and its code object."""
    function = getattr(value, "__func__", value)
    return id(function), id(getattr(function, "__code__", None))


def _members(module: types.ModuleType) -> Iterator[tuple[str, object]]:
    """The functions and classes a module holds, and each class's methods: what an
    evaluation calls. Plain values (limits, constants) are left out."""
    for name, value in list(vars(module).items()):
        if isinstance(value, types.ModuleType):
            continue
        if isinstance(value, type) and value.__module__.startswith(_PACKAGE):
            yield name, id(value)
            for attribute, member in list(vars(value).items()):
                if isinstance(getattr(member, "__func__", member), types.FunctionType):
                    yield f"{name}.{attribute}", _code(member)
        elif callable(value):  # functions, and callables such as cached functions
            yield name, _code(value)


def snapshot() -> dict[str, object]:
    """The state the tripwire compares: live bases' rules and parameters, and the
    library's functions and methods, by name."""
    found: dict[str, object] = {}
    for base in list(_LIVE):
        for rule_id, rule in base.rules.items():
            condition = getattr(rule.obligation, "condition", None)
            found[f"{base.id} rule {rule_id}"] = (rule, _code(rule.obligation), _code(condition))
        for name, parameter in base.parameters.items():
            found[f"{base.id} parameter {name}"] = repr(parameter)
    for module_name, module in list(sys.modules.items()):
        if module_name == _PACKAGE or module_name.startswith(_PACKAGE + "."):
            found.update((f"{module_name}.{n}", v) for n, v in _members(module))
    return found


def watched(load: Callable[[], T], what: str, name: str) -> T:
    """``load()``; :class:`ValueError` naming ``what`` ``name`` if it changed what
    :func:`snapshot` notes (anything only added, like modules it imported, is fine)."""
    before = snapshot()
    made = load()
    after = snapshot()
    changed = [key for key, value in before.items() if after.get(key, value) != value]
    changed += [key for key in before if key not in after]
    if changed:
        told = N_(
            "{what} {name}: changed the law's code on import ({names}); "
            "a module may change the law only by declaring changes"
        )
        if len(changed) > 3:
            told = N_(
                "{what} {name}: changed the law's code on import ({names} and {more} more); "
                "a module may change the law only by declaring changes"
            )
        names = ", ".join(changed[:3])
        raise ValueError(told.format(what=what, name=name, names=names, more=len(changed) - 3))
    return made
