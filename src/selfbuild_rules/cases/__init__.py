"""The district's toolkit: case files, running them, comparing two evaluations, a scaffold.

Nothing in the generic layers imports this package; it sits beside the front door.

>>> from selfbuild_rules.cases import SUFFIX
>>> SUFFIX
'.cases.yaml'
"""

from selfbuild_rules.cases.comparison import Change, Comparison, Side, compare
from selfbuild_rules.cases.format import SUFFIX, Case, CaseFile, Expectation, load, parse
from selfbuild_rules.cases.nodes import CaseFileError
from selfbuild_rules.cases.runner import Mismatch, Outcome, case_files, run_case

__all__ = [
    "SUFFIX",
    "Case",
    "CaseFile",
    "CaseFileError",
    "Change",
    "Comparison",
    "Expectation",
    "Mismatch",
    "Outcome",
    "Side",
    "case_files",
    "compare",
    "load",
    "parse",
    "run_case",
]
