"""The Tianjin 2018 leadership self-construction regulation as evaluable, explainable code.

>>> import selfbuild_rules as sr
>>> sr.TIANJIN_2018.title
'天津市人民政府领导班子关于加强自身建设的规定'
"""

from ._tianjin2018 import TIANJIN_2018
from .engine import evaluate
from .facts import Facts
from .loading import FactsError, Problem, load_facts
from .modules import Module, ModuleError
from .parameters import PARAMETERS, Direction, Parameter, Parameters
from .periods import DateRange, Period, PeriodKind
from .regulation import Principle, Provision, ProvisionKind, Regulation, SubjectKind
from .report import Report
from .results import (
    Citation,
    Explanation,
    Interpretation,
    ModuleWarning,
    Requirement,
    Result,
    Status,
)

__all__ = [
    "PARAMETERS",
    "TIANJIN_2018",
    "Citation",
    "DateRange",
    "Direction",
    "Explanation",
    "Facts",
    "FactsError",
    "Interpretation",
    "Module",
    "ModuleError",
    "ModuleWarning",
    "Parameter",
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
    "Status",
    "SubjectKind",
    "evaluate",
    "load_facts",
]
