"""The commands that look things up rather than evaluate facts: catalog, explain,
modules and regulations (and :func:`base_of`, the base regulation a command names).

Each command takes the parsed arguments and the progress line and returns its text
and exit status, as the commands of :mod:`selfbuild_rules.cli.main` do.
"""

from __future__ import annotations

import argparse

from selfbuild_rules.cli.output import UsageError, json_text
from selfbuild_rules.cli.progress import Progress
from selfbuild_rules.evaluation import base_for
from selfbuild_rules.internal.i18n import N_, _
from selfbuild_rules.internal.text import printable, printable_lines
from selfbuild_rules.plugins.base import Base
from selfbuild_rules.plugins.discovery import installed_modules, installed_regulations, load_module
from selfbuild_rules.plugins.modules import Module, ModuleError, NewProvision
from selfbuild_rules.report import catalog as _catalog
from selfbuild_rules.rules.ruleset import Rule

__all__ = ["base_of", "catalog", "explain", "modules", "regulations"]


def base_of(args: argparse.Namespace, modules: list[Module] | None = None) -> Base:
    """The base regulation ``--regulation`` names, else the one the modules extend,
    else the default; one that cannot be had is a usage error."""
    try:
        return base_for(args.regulation, modules or ())
    except ModuleError as exc:
        raise UsageError(str(exc)) from None


def _module(name: str) -> Module:
    try:
        return load_module(name)
    except ModuleError as exc:
        raise UsageError(str(exc)) from None


def explain(args: argparse.Namespace, _progress: Progress) -> tuple[str, int]:
    rule: Rule | None = None
    base = base_of(args)
    try:
        provision = base.regulation.provision(args.rule)
    except KeyError:
        # A module's provision names its module (``example-district/4.x``): load just that one.
        module_id, _slash, rest = args.rule.partition("/")
        own = [c for c in _module(module_id).changes if isinstance(c, NewProvision)] if rest else []
        found = [c for c in own if c.provision.id == args.rule]
        if not found:
            told = _("{rule}: no such provision (see 'selfbuild-rules catalog')")
            raise UsageError(told.format(rule=args.rule)) from None
        provision, rule = found[0].provision, found[0].rule
    if args.format == "json":
        entry = _catalog.describe(base, provision, rule)
        return json_text(entry), 0
    return printable_lines(_catalog.explain_text(base, provision, rule)), 0


def catalog(args: argparse.Namespace, _progress: Progress) -> tuple[str, int]:
    modules = [_module(name) for name in args.modules]
    base = base_of(args, modules)
    if args.format == "json":
        document = _catalog.catalog(base)
        document["modules"] = [_catalog.module_entry(base, m) for m in modules]
        return json_text(document), 0
    blocks = [_catalog.catalog_text(base), *(_catalog.module_text(base, m) for m in modules)]
    return printable_lines("\n".join(blocks)), 0


def _listing(installed: dict[str, str], form: str, none: str) -> tuple[str, int]:
    if form == "json":
        document = [{"id": name, "entry_point": where} for name, where in installed.items()]
        return json_text(document), 0
    if not installed:
        return _(none) + "\n", 0
    return "".join(printable(f"{name:<28} {where}") + "\n" for name, where in installed.items()), 0


def modules(args: argparse.Namespace, _progress: Progress) -> tuple[str, int]:
    try:
        installed = installed_modules()  # read from package metadata: nothing is imported
    except ModuleError as exc:
        raise UsageError(str(exc)) from None
    return _listing(installed, args.format, N_("no local modules installed"))


def regulations(args: argparse.Namespace, _progress: Progress) -> tuple[str, int]:
    try:
        installed = installed_regulations()
    except ModuleError as exc:
        raise UsageError(str(exc)) from None
    return _listing(installed, args.format, N_("no base regulations installed"))
