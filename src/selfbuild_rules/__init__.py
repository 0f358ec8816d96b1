"""The Tianjin 2018 leadership self-construction regulation as evaluable, explainable code.

>>> import selfbuild_rules as sr
>>> sr.TIANJIN_2018.title
'天津市人民政府领导班子关于加强自身建设的规定'
"""

from selfbuild_rules.cases.comparison import Comparison, Side, compare
from selfbuild_rules.engine.processes import WorkerError
from selfbuild_rules.engine.results import (
    Citation,
    Due,
    Explanation,
    Interpretation,
    ModuleWarning,
    Outlook,
    Requirement,
    Result,
    Status,
    StillNeeded,
)
from selfbuild_rules.evaluation import evaluate, load_facts
from selfbuild_rules.facts.loading import FactsError, Problem
from selfbuild_rules.facts.records import Facts
from selfbuild_rules.law.parameters import Direction, Parameter, Parameters, ParameterTable
from selfbuild_rules.law.periods import DateRange, Period, PeriodKind
from selfbuild_rules.law.text import Principle, Provision, ProvisionKind, Regulation, SubjectKind
from selfbuild_rules.plugins.base import Base
from selfbuild_rules.plugins.modules import Module, ModuleError
from selfbuild_rules.report.document import Report
from selfbuild_rules.tianjin2018 import PARAMETERS, TIANJIN_2018

__all__ = [
    "PARAMETERS",
    "TIANJIN_2018",
    "Base",
    "Citation",
    "Comparison",
    "DateRange",
    "Direction",
    "Due",
    "Explanation",
    "Facts",
    "FactsError",
    "Interpretation",
    "Module",
    "ModuleError",
    "ModuleWarning",
    "Outlook",
    "Parameter",
    "ParameterTable",
    "Parameters",
    "Period",
    "PeriodKind",
    "Principle",
    "Problem",
    "Provision",
    "ProvisionKind",
    "Regulation",
    "Report",
    "Requirement",
    "Result",
    "Side",
    "Status",
    "StillNeeded",
    "SubjectKind",
    "WorkerError",
    "compare",
    "evaluate",
    "load_facts",
]
