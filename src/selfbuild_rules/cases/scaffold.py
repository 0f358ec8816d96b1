"""``selfbuild-rules new-module``: a ready package skeleton for a local module.

The templates are package data (``templates/*.tmpl``, never collected by pytest or
imported); each names the module id, the Python package and the distribution by
placeholders filled in here.

>>> import pathlib, tempfile
>>> target = pathlib.Path(tempfile.mkdtemp()) / "my-district"
>>> sorted(p.relative_to(target).as_posix() for p in scaffold("my-district", target))[:3]
['.ci/run', 'README.md', 'cases/example.cases.yaml']
>>> scaffold("My District", target / "x")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
selfbuild_rules.cases.scaffold.ScaffoldError: 'My District' is not a module id: ...
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from selfbuild_rules.internal.i18n import N_

__all__ = ["ScaffoldError", "scaffold"]

#: The same rule :class:`selfbuild_rules.module_api.Module` checks its id with.
MODULE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
#: Template → where it goes in the new folder (``{package}``: the Python package).
FILES = {
    "pyproject.toml.tmpl": "pyproject.toml",
    "module.py.tmpl": "src/{package}/__init__.py",
    "example.cases.yaml.tmpl": "cases/example.cases.yaml",
    "README.md.tmpl": "README.md",
    "ci-run.tmpl": ".ci/run",
}


class ScaffoldError(ValueError):
    """The id is not a module id, or the folder exists (exit status 2)."""


def _package(module_id: str) -> str:
    name = module_id.replace("-", "_")
    return name if name[0].isalpha() else f"module_{name}"  # a package name cannot start 0-9


def scaffold(module_id: str, target: Path) -> list[Path]:
    """Write the skeleton of module ``module_id`` into the new folder ``target``."""
    if not MODULE_ID.fullmatch(module_id):
        told = N_(
            "{value} is not a module id: use lowercase letters, digits and -, "
            "starting with a letter or digit"
        )
        raise ScaffoldError(told.format(value=repr(module_id)))
    if target.exists():
        raise ScaffoldError(
            N_("{folder} already exists: give a new folder (--dir)").format(folder=target)
        )
    package = _package(module_id)
    names = {"__MODULE_ID__": module_id, "__PACKAGE__": package}
    written = []
    for template, where in FILES.items():
        text = (resources.files(__package__) / "templates" / template).read_text("utf-8")
        for placeholder, value in names.items():
            text = text.replace(placeholder, value)
        path = target / where.format(package=package)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    (target / ".ci" / "run").chmod(0o755)
    return written
