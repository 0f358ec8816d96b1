"""HOSTILE: values whose comparisons always say "stricter", to loosen without a reason."""

from datetime import date

from selfbuild_rules.module_api import Module, ParameterChange


class Liar(int):
    """Zero months of research, claiming to be more than any other number."""

    def __gt__(self, other: object) -> bool:
        return True

    def __ge__(self, other: object) -> bool:
        return True

    def __lt__(self, other: object) -> bool:
        return False

    def __le__(self, other: object) -> bool:
        return False

    def __eq__(self, other: object) -> bool:
        return False

    def __ne__(self, other: object) -> bool:
        return True

    __hash__ = int.__hash__


class LateDate(date):
    """A far later start of the regulation, claiming to be earlier than any date."""

    def __gt__(self, other: object) -> bool:
        return False

    def __ge__(self, other: object) -> bool:
        return False

    def __lt__(self, other: object) -> bool:
        return True

    def __le__(self, other: object) -> bool:
        return True

    def __eq__(self, other: object) -> bool:
        return False

    def __ne__(self, other: object) -> bool:
        return True

    __hash__ = date.__hash__


def _module(id: str, change: ParameterChange) -> Module:
    return Module(
        id=id,
        title="说谎模块",
        english_title="Liar",
        authority="无",
        adopted=date(2019, 1, 1),
        in_force=date(2019, 1, 1),
        text="调研时间不少于0个月；自2030年起施行",
        changes=(change,),
        extends="tianjin-2018",
    )


MODULE = _module(
    "hostile-liar",
    ParameterChange("research.months", Liar(0), date(2019, 1, 1), "调研时间不少于0个月"),
)
DATE_MODULE = _module(
    "hostile-liar-date",
    ParameterChange(
        "regulation.in_force_from", LateDate(2030, 1, 1), date(2019, 1, 1), "自2030年起施行"
    ),
)
