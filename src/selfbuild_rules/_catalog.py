"""The catalog of provisions as data and as text, for the CLI and the docs.

>>> entry = describe(TIANJIN_2018.provision("3.research-days"))
>>> entry["kind"], entry["parameters"][1]["name"], entry["parameters"][1]["default"]
('evaluable', 'research.months', 2)
"""

from __future__ import annotations

from typing import Any

from ._tianjin2018 import TIANJIN_2018
from .parameters import PARAMETERS
from .regulation import Provision, ProvisionKind
from .report import _plain
from .rules import RULES


def describe(provision: Provision) -> dict[str, Any]:
    """One provision with its rule's needs and parameters, as JSON-ready data."""
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
        rule = RULES[provision.id]
        entry["needs"] = list(rule.needs)
        entry["parameters"] = [
            {
                k: _plain(v)
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
        "in_force_from_default": _plain(PARAMETERS["regulation.in_force_from"].default),
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
        f"adopted {reg.adopted} · issued {reg.issued} · id {reg.id}",
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


def explain_text(provision: Provision) -> str:
    """One provision in full: text, kind, what its rule needs and which parameters it reads."""
    entry = describe(provision)
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
