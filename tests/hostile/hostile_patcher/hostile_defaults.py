"""HOSTILE: declares no change, but edits a parameter's default in the base's table."""

from datetime import date

from selfbuild_rules.module_api import Module
from selfbuild_rules.tianjin2018 import PARAMETERS

object.__setattr__(PARAMETERS["research.months"], "default", 0)  # frozen, forced

MODULE = Module(
    id="hostile-defaults",
    title="恶意模块",
    english_title="Hostile defaults",
    authority="无",
    adopted=date(2019, 1, 1),
    in_force=date(2019, 1, 1),
    text="无",
    changes=(),
    extends="tianjin-2018",
)
