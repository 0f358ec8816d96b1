"""The API reference: autodoc directives for exactly the names in ``selfbuild_rules.__all__``.

Names are grouped for reading; a public name no group mentions still gets
documented, under "Other", so the reference can never silently miss one.
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable
from pathlib import Path

import selfbuild_rules

from ._rst import GENERATED_NOTICE, heading, indent, write_if_changed

GROUPS: list[tuple[str, str, list[str]]] = [
    (
        "Evaluating",
        "Load facts and evaluate them for a period.",
        ["evaluate", "load_facts", "Facts", "FactsError", "Problem", "WorkerError"],
    ),
    (
        "Reports and results",
        "What an evaluation returns; see also :doc:`/reference/report-format`.",
        [
            "Report",
            "Result",
            "Status",
            "Explanation",
            "Requirement",
            "Citation",
            "Interpretation",
        ],
    ),
    (
        "The regulation",
        "The law as data: principles, provisions and their exact Chinese text.",
        ["TIANJIN_2018", "Regulation", "Principle", "Provision", "ProvisionKind", "SubjectKind"],
    ),
    (
        "Parameters",
        "Every threshold and reading as a named value; see :ref:`parameters`.",
        ["PARAMETERS", "Parameters", "Parameter"],
    ),
    ("Periods and dates", "Calendar periods and closed date ranges.", ["Period", "DateRange"]),
    (
        "Comparing",
        "What changes between two sets of modules and parameter values, for the same facts.",
        ["compare", "Comparison", "Side"],
    ),
]

#: Module-level data has no docstring autodoc can find; its description lives here.
DATA_DOCS = {
    "PARAMETERS": [
        "Every interpretation parameter by name (a :class:`dict` of",
        ":class:`~selfbuild_rules.Parameter`), with its documented default. The",
        "full list with defaults, units and citations is under :ref:`parameters`.",
        "",
        '>>> sr.PARAMETERS["relay.deadline_days"].default',
        "7",
    ],
    "TIANJIN_2018": [
        "The :class:`~selfbuild_rules.Regulation`",
        "《天津市人民政府领导班子关于加强自身建设的规定》, built from the Chinese",
        "text shipped with the package; see :ref:`regulation`.",
        "",
        '>>> sr.TIANJIN_2018.provision("4.contact-point").principle',
        "'四'",
    ],
}


#: Documentation for public attributes autodoc cannot see (set in ``__init__``).
EXTRA: dict[str, list[str]] = {
    "FactsError": [
        ".. attribute:: problems",
        "   :type: tuple[Problem, ...]",
        "",
        "   Every problem found, in the order of the document.",
        "",
    ],
}


def directive(name: str, warn: Callable[[str], None]) -> list[str]:
    obj = getattr(selfbuild_rules, name)
    full = f"selfbuild_rules.{name}"
    if inspect.isfunction(obj):
        return [f".. autofunction:: {full}", ""]
    if inspect.isclass(obj) and issubclass(obj, BaseException):
        return [f".. autoexception:: {full}", "   :members:", "", *indent(EXTRA.get(name, []))]
    if inspect.isclass(obj) and issubclass(obj, enum.Enum):
        return [f".. autoclass:: {full}", "   :members:", "   :undoc-members:", ""]
    if inspect.isclass(obj):
        return [f".. autoclass:: {full}", "   :members:", ""]
    if name not in DATA_DOCS:
        warn(f"public data {name} has no description in docs/_ext api_reference.DATA_DOCS")
    return [f".. autodata:: {full}", "   :no-value:", "", *indent(DATA_DOCS.get(name, [])), ""]


def generate(out: Path, warn: Callable[[str], None]) -> None:
    public = list(selfbuild_rules.__all__)
    grouped = {name for _, _, names in GROUPS for name in names}
    groups = list(GROUPS)
    rest = [name for name in public if name not in grouped]
    if rest:
        groups.append(("Other", "", rest))
    lines = [*GENERATED_NOTICE, ".. currentmodule:: selfbuild_rules", ""]
    for title, intro, names in groups:
        lines += heading(title, "-")
        if intro:
            lines += [intro, ""]
        for name in names:
            if name not in public:
                warn(f"api_reference.GROUPS names {name}, which is not in selfbuild_rules.__all__")
                continue
            lines += directive(name, warn)
    write_if_changed(out / "api.rst", lines)
