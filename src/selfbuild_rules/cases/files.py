"""Where case files are: their ending, and finding them under paths.

Kept apart from the parser so the command line can name them without importing PyYAML.

>>> from selfbuild_rules.cases.files import SUFFIX, case_files
>>> SUFFIX
'.cases.yaml'
>>> case_files([])
[]
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from selfbuild_rules.internal.i18n import N_

__all__ = ["SUFFIX", "case_files"]

#: The ending that makes a file a case file (for ``selfbuild-rules test`` and pytest).
SUFFIX = ".cases.yaml"


def case_files(paths: Iterable[str | Path]) -> list[Path]:
    """Every case file at or under ``paths``, sorted within each folder, none twice.

    A path that does not exist is an error (``FileNotFoundError``).
    """
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found += sorted(p for p in path.rglob(f"*{SUFFIX}") if p.is_file())
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(N_("{path}: no such file or folder").format(path=given))
    return list(dict.fromkeys(found))
