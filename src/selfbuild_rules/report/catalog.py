"""The catalog of a base regulation's provisions as data and as text, for the CLI and docs.

>>> from selfbuild_rules.evaluation import base_for
>>> BASE = base_for()  # the bundled base regulation
>>> entry = describe(BASE, BASE.regulation.provision("3.research-days"))
>>> entry["kind"], entry["parameters"][1]["name"], entry["parameters"][1]["default"]
('evaluable', 'research.months', 2)
"""

from __future__ import annotations

import textwrap
from typing import Any

import attrs

from selfbuild_rules.facts.structure import unstructure
from selfbuild_rules.law.parameters import IN_FORCE
from selfbuild_rules.law.text import Provision, ProvisionKind
from selfbuild_rules.plugins.base import Base
from selfbuild_rules.plugins.modules import AmendRule, Module, NewProvision, ParameterChange, Repeal
from selfbuild_rules.rules.ruleset import Rule


def describe(base: Base, provision: Provision, rule: Rule | None = None) -> dict[str, Any]:
    """One provision with its rule's needs and parameters, as JSON-ready data.

    ``rule`` is looked up among the base regulation's rules unless given (a module's).
    """
    entry: dict[str, Any] = {
        "id": provision.id,
        "principle": provision.principle,
        "title": provision.title,
        "chinese_title": provision.chinese_title,
        "kind": provision.kind.value,
        "subject": provision.subject.value,
        "chinese": list(provision.text),
        "english": provision.english,
        "notes": list(provision.notes),
    }
    if provision.kind is ProvisionKind.EVALUABLE:
        rule = rule or base.rules[provision.id]
        entry["compliant_when"] = {lang: rule.compliant_when(lang) for lang in ("zh", "en")}
        entry["needs"] = list(rule.needs)
        entry["parameters"] = [
            {
                k: unstructure(v)
                for k, v in (
                    ("name", p.name),
                    ("default", p.default),
                    ("unit", p.unit),
                    ("citation", p.citation),
                    ("description", p.description),
                )
            }
            for p in (base.parameters[n] for n in rule.parameters)
        ]
    return entry


def catalog(base: Base) -> dict[str, Any]:
    """The whole regulation: metadata, principles and their provisions."""
    reg = base.regulation
    return {
        "id": reg.id,
        "title": reg.title,
        "english_title": reg.english_title,
        "adopted": reg.adopted.isoformat(),
        "adopted_by": reg.adopted_by,
        "issued": reg.issued.isoformat(),
        "publicly_released": reg.publicly_released,
        "in_force_from_default": unstructure(base.parameters[IN_FORCE].default),
        "principles": [
            {
                "number": p.number,
                "title": p.title,
                "english_title": p.english_title,
                "provisions": [describe(base, x) for x in p.provisions],
            }
            for p in reg.principles
        ],
    }


def catalog_text(base: Base) -> str:
    """Every provision, one block each, grouped by principle."""
    reg = base.regulation
    lines = [
        f"{reg.title}",
        f"{reg.english_title}",
        f"adopted {reg.adopted} by {reg.adopted_by} · issued {reg.issued}"
        + (" · publicly released" if reg.publicly_released else "")
        + f" · id {reg.id}",
        f"in force from {base.parameters[IN_FORCE].default} by default "
        f"(no effective date in the text; parameter {IN_FORCE})",
        "",
    ]
    for principle in reg.principles:
        lines.append(f"{principle.number}、{principle.title} — {principle.english_title}")
        for p in principle.provisions:
            lines.append(f"  {p.id:<30} {p.kind.value:<9} {p.subject.value:<6} {p.title}")
            lines.append(f"      {p.chinese}")
            lines.append(f"      {p.english}")
        lines.append("")
    return "\n".join(lines)


def explain_text(base: Base, provision: Provision, rule: Rule | None = None) -> str:
    """One provision in full: text, kind, when its rule holds it compliant (in Chinese and
    English), what the rule needs and which parameters it reads.

    >>> from selfbuild_rules.evaluation import base_for
    >>> BASE = base_for()
    >>> text = explain_text(BASE, BASE.regulation.provision("5.legal-review"))
    >>> print(text[text.index("Compliant when"):text.index("Needs facts")].strip())
    Compliant when (合规条件):
      期间内的每项重大决策都在作出当日或之前经过合法性审查，即为符合。
      Compliant when every major decision dated in the period had a legal review on or before the
      day it was taken.
    """
    entry = describe(base, provision, rule)
    chinese = f"（{provision.chinese_title}）" if provision.chinese_title else ""
    lines = [
        f"{provision.id} — {provision.title}{chinese}",
        f"principle {provision.principle}, {entry['kind']}, binds the {entry['subject']}",
        "",
        "Chinese:",
        *(f"  {t}" for t in provision.text),
        "",
        "English:",
        f"  {provision.english}",
    ]
    if provision.notes:
        lines += ["", "Interpretation notes:", *(f"  - {n}" for n in provision.notes)]
    if provision.kind is ProvisionKind.JUDGMENT:
        lines += ["", "Judgment: requires_judgment unless an assessment record gives the result."]
    else:
        lines += ["", "Compliant when (合规条件):"]
        lines += [f"  {entry['compliant_when']['zh']}"] if entry["compliant_when"]["zh"] else []
        lines += textwrap.wrap(entry["compliant_when"]["en"], 96, initial_indent="  ",
                               subsequent_indent="  ")  # fmt: skip
        lines += ["", f"Needs facts: {', '.join(entry['needs'])}", "Parameters:"]
        lines += [
            f"  {p['name']} = {p['default']} {p['unit']}  ({p['citation']}) {p['description']}"
            for p in entry["parameters"]
        ]
    return "\n".join(lines) + "\n"


def _change(
    base: Base, change: ParameterChange | AmendRule | Repeal | NewProvision
) -> dict[str, Any]:
    """One change of a module as JSON-ready data."""
    if isinstance(change, NewProvision):
        return {
            "new_provision": describe(base, change.provision, change.rule),
            "effective": unstructure(change.effective),
            "until": unstructure(change.until),
        }
    kind: dict[type, str] = {
        ParameterChange: "parameter",
        AmendRule: "amend_rule",
        Repeal: "repeal",
    }
    entry: dict[str, Any] = {"change": kind[type(change)]}
    for field in attrs.fields(type(change)):
        if field.name != "obligation":
            entry[field.name] = unstructure(getattr(change, field.name))
    return entry


def module_entry(base: Base, module: Module) -> dict[str, Any]:
    """A local module: who issued it, when, its text and every change it makes."""
    return {
        "id": module.id,
        "title": module.title,
        "english_title": module.english_title,
        "authority": module.authority,
        "adopted": module.adopted.isoformat(),
        "in_force": module.in_force.isoformat(),
        "extends": module.extends,
        "text": module.text,
        "changes": [_change(base, c) for c in module.changes],
    }


def module_text(base: Base, module: Module) -> str:
    """A local module for reading: metadata, then each change with its citation."""
    lines = [
        f"{module.id}: {module.title} — {module.english_title}",
        f"  {module.authority} · adopted {module.adopted} · in force {module.in_force}"
        f" · extends {module.extends}",
    ]
    for change in module.changes:
        if isinstance(change, NewProvision):
            p = change.provision
            lines.append(
                f"  + {p.id:<28} {p.kind.value:<9} {p.subject.value:<6} {p.title}"
                f" (from {change.effective})"
            )
            lines.append(f"      {p.chinese}")
            continue
        entry = _change(base, change)
        what = entry.get("parameter") or entry.get("rule")
        value = f" = {entry['value']}" if "value" in entry else ""
        reason = f"  REASON: {entry['reason']}" if entry.get("reason") else ""
        lines.append(f"  {entry['change']:<10} {what}{value} from {entry['effective']}{reason}")
        lines.append(f"      「{entry['citation']}」")
    return "\n".join(lines) + "\n"
