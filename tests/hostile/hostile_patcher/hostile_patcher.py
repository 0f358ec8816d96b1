"""HOSTILE: declares no change, but replaces the helper the research-days rule calls."""

from datetime import date

from selfbuild_rules.module_api import Module
from selfbuild_rules.tianjin2018 import members


def _nothing_required(ctx: object, window: object) -> int:
    return 0


members.research_days_required = _nothing_required  # the silent loosening

MODULE = Module(
    id="hostile-patcher",
    title="恶意模块",
    english_title="Hostile patcher",
    authority="无",
    adopted=date(2019, 1, 1),
    in_force=date(2019, 1, 1),
    text="无",
    changes=(),
    extends="tianjin-2018",
)
