"""The catalog of provisions as data and as text, for the CLI and the docs.

>>> entry = describe(TIANJIN_2018.provision("3.research-days"))
>>> entry["kind"], entry["parameters"][1]["name"], entry["parameters"][1]["default"]
('evaluable', 'research.months', 2)
"""

from __future__ import annotations

from typing import Any

import attrs

from ._structure import unstructure
from ._tianjin2018 import TIANJIN_2018
from .modules import AmendRule, Module, NewProvision, ParameterChange, Repeal
from .parameters import PARAMETERS
from .regulation import Provision, ProvisionKind
from .rules import RULES, Rule


def describe(provision: Provision, rule: Rule | None = None) -> dict[str, Any]:
    """One provision with its rule's needs and parameters, as JSON-ready data.

    ``rule`` is looked up among the base regulation's rules unless given (a module's).
    """
    entry: dict[str, Any] = {
        "id": provision.id,
        "principle": provision.principle,
        "title": provision.title,
        "kind": provision.kind.value,
        "subject": provision.subject.value,
        "chinese": list(provision.text),
        "english": provision.english,
        "notes": list(provision.notes),
    }
    if provision.kind is ProvisionKind.EVALUABLE:
        rule = rule or RULES[provision.id]
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
            for p in (PARAMETERS[n] for n in rule.parameters)
        ]
    return entry


def catalog() -> dict[str, Any]:
    """The whole regulation: metadata, principles and their provisions."""
    reg = TIANJIN_2018
    return {
        "id": reg.id,
        "title": reg.title,
        "english_title": reg.english_title,
        "adopted": reg.adopted.isoformat(),
        "adopted_by": reg.adopted_by,
        "issued": reg.issued.isoformat(),
        "publicly_released": reg.publicly_released,
        "in_force_from_default": unstructure(PARAMETERS["regulation.in_force_from"].default),
        "principles": [
            {
                "number": p.number,
                "title": p.title,
                "english_title": p.english_title,
                "provisions": [describe(x) for x in p.provisions],
            }
            for p in reg.principles
        ],
    }


def catalog_text() -> str:
    """Every provision, one block each, grouped by principle."""
    reg = TIANJIN_2018
    lines = [
        f"{reg.title}",
        f"{reg.english_title}",
        f"adopted {reg.adopted} by {reg.adopted_by} · issued {reg.issued}"
        + (" · publicly released" if reg.publicly_released else "")
        + f" · id {reg.id}",
        f"in force from {PARAMETERS['regulation.in_force_from'].default} by default "
        "(no effective date in the text; parameter regulation.in_force_from)",
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


def explain_text(provision: Provision, rule: Rule | None = None) -> str:
    """One provision in full: text, kind, what its rule needs and which parameters it reads."""
    entry = describe(provision, rule)
    lines = [
        f"{provision.id} — {provision.title}",
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
        lines += ["", f"Needs facts: {', '.join(entry['needs'])}", "Parameters:"]
        lines += [
            f"  {p['name']} = {p['default']} {p['unit']}  ({p['citation']}) {p['description']}"
            for p in entry["parameters"]
        ]
    return "\n".join(lines) + "\n"


def _change(change: ParameterChange | AmendRule | Repeal | NewProvision) -> dict[str, Any]:
    """One change of a module as JSON-ready data."""
    if isinstance(change, NewProvision):
        return {
            "new_provision": describe(change.provision, change.rule),
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


def module_entry(module: Module) -> dict[str, Any]:
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
        "changes": [_change(c) for c in module.changes],
    }


def module_text(module: Module) -> str:
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
        entry = _change(change)
        what = entry.get("parameter") or entry.get("rule")
        value = f" = {entry['value']}" if "value" in entry else ""
        reason = f"  REASON: {entry['reason']}" if entry.get("reason") else ""
        lines.append(f"  {entry['change']:<10} {what}{value} from {entry['effective']}{reason}")
        lines.append(f"      「{entry['citation']}」")
    return "\n".join(lines) + "\n"
