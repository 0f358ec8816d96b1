"""The district's toolkit: case files, running them, comparing two evaluations, a scaffold.

Nothing in the generic layers imports this package; it sits beside the front door.

>>> from selfbuild_rules.cases import SUFFIX
>>> SUFFIX
'.cases.yaml'
"""

import importlib
from typing import TYPE_CHECKING, Any

from selfbuild_rules.cases.comparison import Change, Comparison, Side, compare

if TYPE_CHECKING:
    from selfbuild_rules.cases.files import case_files
    from selfbuild_rules.cases.format import SUFFIX, Case, CaseFile, Expectation, load, parse
    from selfbuild_rules.cases.nodes import CaseFileError
    from selfbuild_rules.cases.runner import Mismatch, Outcome, run_case

# Case files need PyYAML, whose import is about a tenth of the command line's start-up;
# ``import selfbuild_rules`` reaches this package for ``compare``, which does not need it.
# So the case-file names are imported when first asked for (PEP 562).
_ON_FIRST_USE = {
    **dict.fromkeys(("SUFFIX", "Case", "CaseFile", "Expectation", "load", "parse"), "format"),
    "CaseFileError": "nodes",
    "case_files": "files",
    **dict.fromkeys(("Mismatch", "Outcome", "run_case"), "runner"),
}


def __getattr__(name: str) -> Any:
    if name not in _ON_FIRST_USE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_ON_FIRST_USE[name]}"), name)


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
