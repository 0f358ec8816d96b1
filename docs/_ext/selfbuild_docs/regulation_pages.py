"""The regulation pages: an overview, one page per principle, and the legal coverage.

Everything here is read from ``selfbuild_rules``: the regulation's text and
provisions (``TIANJIN_2018``), the rules (``tianjin2018.BASE.rules``) and the parameters
(``tianjin2018.PARAMETERS``). Only the worked examples are written by hand, in
:mod:`.worked_examples`, and the doctest builder checks them against the code.
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

from selfbuild_rules import PARAMETERS, TIANJIN_2018, Principle, Provision, ProvisionKind
from selfbuild_rules.rules.ruleset import Rule
from selfbuild_rules.tianjin2018 import BASE

from . import worked_examples
from ._rst import GENERATED_NOTICE, escape, heading, indent, list_table, literal, write_if_changed

RULES = BASE.rules
NUMBER_OF = {n: i for i, n in enumerate("一二三四五六七八九十", start=1)}
BINDS = {"member": "each member of the team", "team": "the team as a whole"}


def page_name(principle: Principle) -> str:
    return f"principle-{NUMBER_OF[principle.number]}"


def show(value: object) -> str:
    """A parameter value the way a reader writes it in ``--set`` or ``parameters=``."""
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return ", ".join(map(show, value))
    return str(value)


_PARAMETER_NAMES = sorted(PARAMETERS, key=len, reverse=True)
_NAME_IN_TEXT = re.compile(
    r"(?<![\w.])(" + "|".join(re.escape(n) for n in _PARAMETER_NAMES) + r")(?![\w])"
)


def linked(text: str) -> str:
    """Escaped text in which every parameter name links to its description."""
    parts = _NAME_IN_TEXT.split(text)
    return "".join(
        f":parameter:`{part}`" if index % 2 else escape(part) for index, part in enumerate(parts)
    )


def chinese(text: str) -> list[str]:
    """Chinese text of the law, shown verbatim, marked as Chinese for browsers and readers."""
    return [".. rst-class:: law-text", "", *indent([escape(text)], 3), ""]


def english(text: str) -> list[str]:
    """The English rendering of the law: kept in English in every language of the docs."""
    # A container, not rst-class: its class is set as the page is parsed, before the
    # catalogs are read or applied (rst-class sets it only in a later transform).
    return [".. container:: untranslated", "", f"   {escape(text)}", ""]


def rule_docstring(rule: Rule) -> str | None:
    """The docstring of the function that encodes a rule, if it has one."""
    return rule.doc


#: What each parameter direction means, for readers choosing a stricter reading.
DIRECTIONS = {
    "minimum": "minimum — a larger value is stricter",
    "maximum": "maximum — a smaller value is stricter",
    "deadline": "deadline — an earlier date or a shorter delay is stricter",
    "allowed": "allowed — a set of accepted values; fewer is stricter",
    "counted": "counted — a set of values that count against the subject; more is stricter",
    "choice": "choice — readings with no order between them",
}

_PROVISION_IDS = {p.id for p in TIANJIN_2018.provisions()}


def cited(citation: str) -> str:
    """A parameter's citation, linked when it names a provision."""
    return f":provision:`{citation}`" if citation in _PROVISION_IDS else escape(citation)


def parameter_rows(names: tuple[str, ...]) -> Iterator[list[str]]:
    for name in names:
        p = PARAMETERS[name]
        yield [
            f":parameter:`{name}`",
            literal(show(p.default)),
            escape(p.unit) if p.unit else "—",
            cited(p.citation),
            linked(p.description),
        ]


def provision_section(provision: Provision) -> list[str]:
    evaluable = provision.kind is ProvisionKind.EVALUABLE
    kind = "evaluable (checked by a rule)" if evaluable else "judgment (assessed by a person)"
    lines = [f".. provision:: {provision.id}", ""]
    lines += heading(f"{provision.id} — {escape(provision.title)}", "-")
    lines += [
        f":Provision id: {literal(provision.id)}",
        f":Kind: {kind}",
        f":Binds: {BINDS[provision.subject.value]}",
        f":Cited as: {literal(provision.citation_in(TIANJIN_2018.id))}",
        "",
        ".. rubric:: The law (verbatim)",
        "",
    ]
    for fragment in provision.text:
        lines += chinese(fragment)
    lines += [".. rubric:: In English", "", *english(provision.english)]
    if provision.notes:
        lines += [".. rubric:: How it is read", ""]
        lines += [f"- {linked(note)}" for note in provision.notes] + [""]
    if not evaluable:
        subject = "``team``" if provision.subject.value == "team" else "the member's id"
        lines += [
            ".. rubric:: How it is evaluated",
            "",
            # Worded without the provision's id (it heads the section), so that the
            # sentence is one message to translate, not one per provision.
            "A person assesses this provision. Its result is ``requires_judgment`` until a",
            ":facts-category:`assessments` record with this provision's id as ``rule``,",
            f"``subject`` {subject}, the ``period`` evaluated and a ``date`` on or before",
            "``as_of`` gives ``compliant`` or ``non_compliant`` (the latest such record",
            "wins); see :ref:`judgment`.",
            "",
        ]
        return lines
    rule = RULES[provision.id]
    needs = ", ".join(f":facts-category:`{c}`" for c in rule.needs)
    lines += [
        ".. rubric:: How it is evaluated",
        "",
        f":Subject of each result: {BINDS[rule.subject.value]}"
        + (" (subject ``team``)" if rule.subject.value == "team" else " (subject: member id)"),
        f":Counts: {escape(rule.measure.en)} ({escape(rule.measure.zh)}, "
        f"{escape(rule.measure.unit_zh)})",
        f":Needs the facts: {needs} — without "
        + ("it" if len(rule.needs) == 1 else "any one of them")
        + " the result is ``undetermined``",
        "",
    ]
    doc = rule_docstring(rule)
    if doc:
        lines += [*doc.splitlines(), ""]
    lines += [".. rubric:: Parameters", ""]
    lines += list_table(
        ["Parameter", "Default", "Unit", "Reads", "Description"],
        parameter_rows(rule.parameters),
        widths=[22, 14, 8, 18, 38],
    )
    example = worked_examples.EXAMPLES.get(provision.id)
    if example:
        lines += [".. rubric:: Worked example", "", *example.strip("\n").splitlines(), ""]
    return lines


def principle_page(principle: Principle, chinese_first: bool) -> list[str]:
    number = NUMBER_OF[principle.number]
    lines = [*GENERATED_NOTICE, f".. _principle-{number}:", ""]
    chinese_title = f"{principle.number}、{escape(principle.title)}"
    if chinese_first:  # the law's own heading, then its English rendering
        lines += heading(chinese_title, "=")
        lines += english(f"Principle {number}: {principle.english_title}")
    else:
        title = f"Principle {number} ({principle.number}): {escape(principle.english_title)}"
        lines += heading(title, "=")
        lines += [".. rst-class:: law-text", "", f"   {chinese_title}", ""]
    lines += [
        ".. rubric:: The text of the principle (verbatim)",
        "",
    ]
    lines += [".. rst-class:: law-text", ""]
    for index, sentence in enumerate(principle.sentences, start=1):
        lines += [f"   {index}. {escape(sentence)}", ""]
    lines += [
        f"Where each sentence went: :ref:`coverage-{number}`.",
        "",
        ".. rubric:: Provisions",
        "",
    ]
    lines += list_table(
        ["Provision", "Title", "Kind", "Binds"],
        (
            [
                f":provision:`{p.id}`",
                escape(p.title),
                p.kind.value,
                p.subject.value,
            ]
            for p in principle.provisions
        ),
        widths=[30, 40, 15, 15],
    )
    if any(p.id in worked_examples.EXAMPLES for p in principle.provisions):
        lines += [*worked_examples.PREAMBLE.strip("\n").splitlines(), ""]
    for provision in principle.provisions:
        lines += provision_section(provision)
    return lines


def index_page() -> list[str]:
    reg = TIANJIN_2018
    provisions = list(reg.provisions())
    evaluable = sum(p.kind is ProvisionKind.EVALUABLE for p in provisions)
    lines = [*GENERATED_NOTICE, ".. _regulation:", ""]
    lines += heading("The regulation", "=")
    lines += [
        ".. rst-class:: law-text",
        "",
        f"   《{escape(reg.title)}》",
        "",
        ".. container:: untranslated",
        "",
        f"   *{escape(reg.english_title)}*",
        "",
        f":Regulation id: {literal(reg.id)}",
        f":Adopted: {reg.adopted.isoformat()} by {escape(reg.adopted_by)}",
        f":Issued: {reg.issued.isoformat()}",
        f":In force from: {PARAMETERS['regulation.in_force_from'].default} by default "
        "(:parameter:`regulation.in_force_from`)",
        f":Provisions: {len(provisions)} — {evaluable} evaluable, "
        f"{len(provisions) - evaluable} judgment",
        "",
        "Each principle of the law has a page of its own below. On it, every provision",
        "shows the Chinese it encodes, verbatim, beside its English rendering, whether a",
        "rule checks it (*evaluable*) or a person assesses it (*judgment*), what facts",
        "and parameters the rule reads, and, for the evaluable ones, a worked example",
        "that the documentation build runs. These pages are generated from the code at",
        "every build, so they always describe the rules that actually run.",
        "",
        ".. rubric:: Preamble (verbatim)",
        "",
        *chinese(reg.preamble),
        ".. toctree::",
        "   :maxdepth: 2",
        "",
        *(f"   {page_name(p)}" for p in reg.principles),
        "   legal-coverage",
        "",
    ]
    lines += heading("The principles at a glance", "-")
    lines += list_table(
        ["Principle", "English", "Provisions", "Evaluable"],
        (
            [
                f":ref:`{p.number}、{escape(p.title)} <principle-{NUMBER_OF[p.number]}>`",
                "\n".join(english(p.english_title)),
                str(len(p.provisions)),
                ", ".join(
                    f":provision:`{x.id}`"
                    for x in p.provisions
                    if x.kind is ProvisionKind.EVALUABLE
                )
                or "—",
            ]
            for p in reg.principles
        ),
        widths=[25, 30, 10, 35],
    )
    lines += [".. _parameters:", ""]
    lines += heading("Interpretation parameters", "-")
    lines += [
        "Wherever the text leaves room for reading (“2个月”, “第一时间”, “定期”), the rule",
        "reads a named parameter instead of a bare number. The defaults below are the",
        "library's reading; override any of them with ``--set NAME=VALUE`` on the command",
        "line or ``parameters={...}`` in :func:`selfbuild_rules.evaluate`. Every result",
        "lists the parameters it used and whether each kept its default.",
        "",
    ]
    for name, p in PARAMETERS.items():
        used_by = [r.id for r in RULES.values() if name in r.parameters]
        lines += [f".. parameter:: {name}", ""]
        body = [
            linked(p.description),
            "",
            f":Default: {literal(show(p.default))}",
        ]
        if p.unit:
            body.append(f":Unit: {escape(p.unit)}")
        if p.choices:
            body.append(f":Values: {', '.join(literal(show(c)) for c in p.choices)}")
        body.append(f":Reads: {cited(p.citation)}")
        direction = getattr(p.direction, "value", str(p.direction))
        body.append(f":Direction: {DIRECTIONS.get(direction, escape(direction))}")
        if name == "regulation.in_force_from":
            body.append(":Used by: every evaluable rule")
        elif used_by:
            body.append(f":Used by: {', '.join(f':provision:`{r}`' for r in used_by)}")
        lines += [*indent(body), ""]
    return lines


def _is_punctuation(char: str) -> bool:
    return char.isspace() or unicodedata.category(char).startswith("P")


def coverage(principle: Principle, sentence: str) -> tuple[list[tuple[Provision, str]], str]:
    """The provisions quoting this sentence (with the fragment), and what none covers."""
    found: list[tuple[Provision, str]] = []
    covered = [False] * len(sentence)
    for provision in principle.provisions:
        for fragment in provision.text:
            start = sentence.find(fragment)
            if start != -1:
                found.append((provision, fragment))
            while start != -1:
                covered[start : start + len(fragment)] = [True] * len(fragment)
                start = sentence.find(fragment, start + 1)
    found.sort(key=lambda pair: sentence.find(pair[1]))
    uncovered = "".join(
        c for c, ok in zip(sentence, covered, strict=True) if not ok and not _is_punctuation(c)
    )
    return found, uncovered


def coverage_page(warn: Callable[[str], None], chinese_first: bool) -> list[str]:
    lines = [*GENERATED_NOTICE, ".. _legal-coverage:", ""]
    lines += heading("Legal coverage", "=")
    lines += [
        "Every sentence of the six principles, in the order of the law, with the",
        "provisions that quote it. A provision quotes its fragments exactly; together the",
        "fragments cover every character of every sentence except punctuation. The test",
        "suite fails if a sentence is left uncovered, and so does this documentation",
        "build.",
        "",
    ]
    total = 0
    for principle in TIANJIN_2018.principles:
        number = NUMBER_OF[principle.number]
        lines += [f".. _coverage-{number}:", ""]
        title = f"{principle.number}、{principle.title}"
        if chinese_first:
            lines += heading(title, "-")
            lines += english(principle.english_title)
        else:
            lines += heading(f"{title} — {principle.english_title}", "-")
        rows = []
        for index, sentence in enumerate(principle.sentences, start=1):
            total += 1
            found, uncovered = coverage(principle, sentence)
            if uncovered:
                warn(
                    f"principle {principle.number} sentence {index}: not covered by any "
                    f"provision: {uncovered}"
                )
            cell = "\n".join(f"- :provision:`{p.id}` — {escape(fragment)}" for p, fragment in found)
            if uncovered:
                cell += f"\n- **not covered:** {escape(uncovered)}"
            rows.append([str(index), escape(sentence), cell or "**none**"])
        lines += list_table(
            ["#", "Sentence", "Provisions and the fragments they quote"],
            rows,
            widths=[4, 46, 50],
            classes="coverage",
        )
    lines += [f"{total} sentences in all.", ""]
    return lines


def generate(out: Path, warn: Callable[[str], None], chinese_first: bool = False) -> None:
    """Write the pages; ``chinese_first`` titles them by the law's Chinese headings.

    Either way each page shows the Chinese of the law before its English rendering;
    the Chinese build only moves the English of the headings out of the titles.
    """
    write_if_changed(out / "index.rst", index_page())
    for principle in TIANJIN_2018.principles:
        page = principle_page(principle, chinese_first)
        write_if_changed(out / f"{page_name(principle)}.rst", page)
    write_if_changed(out / "legal-coverage.rst", coverage_page(warn, chinese_first))
