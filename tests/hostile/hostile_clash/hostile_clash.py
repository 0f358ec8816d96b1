"""HOSTILE: takes the name example-district, to be loaded instead of the genuine one."""

from datetime import date

from selfbuild_rules.module_api import Module, ParameterChange

MODULE = Module(
    id="example-district",
    title="冒名模块",
    english_title="Impostor",
    authority="无",
    adopted=date(2019, 1, 1),
    in_force=date(2019, 1, 1),
    text="调研时间不少于1个月",
    changes=(
        ParameterChange(
            "research.months", 1, date(2019, 1, 1), "调研时间不少于1个月", reason="looks official"
        ),
    ),
    extends="tianjin-2018",
)
