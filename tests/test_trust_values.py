"""Values that lie: a module must never loosen the law through a value's own comparisons.

Every hostile class here overrides what a naive check would ask (comparisons, hash,
``repr``, ``__int__``, ``__index__``, ``__str__``, ``toordinal``, ``__iter__``, ``__bool__``),
so only a check that reads the stored value itself sees that it loosens.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import selfbuild_rules as sr
from selfbuild_rules.internal import exact
from selfbuild_rules.law.parameters import LARGEST, Parameters
from selfbuild_rules.module_api import AmendRule, Module, ParameterChange, build_law
from selfbuild_rules.tianjin2018 import BASE, PARAMETERS


def _always(answer: bool) -> Any:
    return lambda self, other: answer


class LiarInt(int):
    """0 that says it is larger than anything, equal to nothing, and 99 when asked."""

    __lt__ = __le__ = _always(False)
    __gt__ = __ge__ = _always(True)
    __eq__ = _always(False)
    __ne__ = _always(True)

    def __hash__(self) -> int:
        return 99

    def __int__(self) -> int:
        return 99

    def __index__(self) -> int:
        return 99

    def __repr__(self) -> str:
        return "99"

    __str__ = __repr__


class ShortLiarInt(LiarInt):
    """A long delay that says it is shorter than anything (stricter, for a deadline)."""

    __lt__ = __le__ = _always(True)
    __gt__ = __ge__ = _always(False)


class LiarDate(dt.date):
    """A late day that says it is earlier than anything (stricter, for a deadline)."""

    __lt__ = __le__ = _always(True)
    __gt__ = __ge__ = _always(False)
    __eq__ = _always(False)
    __ne__ = _always(True)

    def __hash__(self) -> int:
        return 1

    def toordinal(self) -> int:
        return dt.date(2030, 1, 1).toordinal()

    def __repr__(self) -> str:
        return "datetime.date(2030, 1, 1)"


class LiarStr(str):
    """``applicable_days`` that claims to be ``none`` and equal to any choice."""

    __eq__ = _always(True)
    __ne__ = _always(False)

    def __hash__(self) -> int:
        return hash("none")

    def __str__(self) -> str:
        return "none"


class LiarList(list[str]):
    """Shows one kind when iterated, holds another."""

    def __iter__(self) -> Any:
        return iter(["village"])

    def __len__(self) -> int:
        return 1


class ClaimsToBeInt:
    """Not an int at all, but says so to ``isinstance``."""

    @property  # type: ignore[misc]
    def __class__(self) -> type:
        return int


def district(*changes: Any) -> Module:
    text = " ".join(c.citation for c in changes)
    return Module(
        id="lying-district", title="区", english_title="District", authority="区",
        adopted=dt.date(2018, 2, 2), in_force=dt.date(2018, 2, 2), text=text,
        changes=changes, extends="tianjin-2018",
    )  # fmt: skip


ON = dt.date(2019, 1, 1)


@pytest.mark.parametrize(
    ("parameter", "value", "shown"),
    [
        ("research.months", LiarInt(0), "2 → 0"),
        ("relay.deadline_days", ShortLiarInt(10_000), "7 → 10000"),
        ("regulation.in_force_from", LiarDate(2030, 1, 1), "datetime.date(2030, 1, 1)"),
        ("research.pro_rating", LiarStr("none"), "'applicable_days' → 'none'"),
        ("integrity.violation_kinds", ("other",), "→ ('other',)"),
        ("integrity.violation_kinds", LiarList(["other"]), "→ ('other',)"),
    ],
)
def test_a_lying_value_that_loosens_is_refused_without_a_reason(
    parameter: str, value: object, shown: str
) -> None:
    change = ParameterChange(parameter, value, ON, "改")
    with pytest.raises(sr.ModuleError, match="loosens the regulation; give a reason") as caught:
        build_law(BASE, [district(change)])
    assert shown in str(caught.value)


def test_a_lying_value_with_a_reason_is_applied_as_its_real_value_and_warns() -> None:
    change = ParameterChange("research.months", LiarInt(0), ON, "改", reason="pilot")
    doc = {
        "format": "selfbuild-rules.facts/1",
        "team": {"id": "t", "name": "班子"},
        "members": [
            {"id": "m01", "name": "甲", "post": "mayor", "tenure": {"start": "2018-01-26"}}
        ],
        "research_trips": [],
    }
    report = sr.evaluate(doc, "2019", "2020-03-01", modules=[district(change)])
    result = report.result("3.research-days", "m01")
    assert "requirement of 0" in result.explanation.en
    assert [str(w) for w in result.warnings] == ["lying-district loosens research.months: pilot"]
    used = report.parameters["research.months"]
    assert type(used) is int and used == 2  # the option itself is untouched


def test_checked_values_are_exact_built_in_types() -> None:
    assert type(PARAMETERS["research.months"].check(LiarInt(3))) is int
    assert PARAMETERS["research.months"].check(LiarInt(3)) == 3
    day = PARAMETERS["regulation.in_force_from"].check(LiarDate(2018, 1, 1))
    assert type(day) is dt.date and day.toordinal() == dt.date(2018, 1, 1).toordinal()
    text = PARAMETERS["research.pro_rating"].check(LiarStr("applicable_days"))
    assert type(text) is str and text == "applicable_days"
    kinds = PARAMETERS["contact_point.kinds"].check(LiarList(["school", "village"]))
    assert kinds == ("school", "village") and all(type(k) is str for k in kinds)


@pytest.mark.parametrize(
    ("parameter", "value", "message"),
    [
        ("research.months", -3, "-3 is not a whole number from 0 to 10,000"),
        ("relay.deadline_days", 1_000_000_000, "1000000000 is not a whole number from 0"),
        ("relay.deadline_days", 10**400, "a larger number is not a whole number"),
        ("research.months", True, "a bool is not a whole number"),
        ("research.months", 2.0, "a float is not a whole number"),
        ("research.months", ClaimsToBeInt(), "a ClaimsToBeInt is not a whole number"),
        ("personal_matters.due_month_day", 5, "an int is not a string"),
        ("personal_matters.due_month_day", "13-45", "'13-45' is not a day of every year"),
        ("personal_matters.due_month_day", "02-29", "'02-29' is not a day of every year"),
        ("personal_matters.due_month_day", "2-3", "is not a day of every year"),
        ("contact_point.kinds", [[1]], "each item must be a string: a list is not a string"),
        ("contact_point.kinds", ["moon"], "'moon' is not one of village"),
        ("contact_point.kinds", "village", "a str is not a list"),
        ("regulation.in_force_from", "20180101", "'20180101' is not a date (YYYY-MM-DD)"),
        ("regulation.in_force_from", "٢٠١٨-٠١-٠١", "is not a date (YYYY-MM-DD)"),
        ("regulation.in_force_from", dt.datetime(2018, 1, 1), "give the day you mean"),
    ],
)
def test_bad_parameter_values_are_refused_with_one_clear_message(
    parameter: str, value: object, message: str
) -> None:
    with pytest.raises(ValueError, match="^" + parameter.replace(".", r"\.")) as caught:
        PARAMETERS[parameter].check(value)
    assert message in str(caught.value)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Parameters({parameter: value}, table=PARAMETERS)


def test_the_bounds_themselves_are_accepted() -> None:
    assert PARAMETERS["research.months"].check(0) == 0
    assert PARAMETERS["relay.deadline_days"].check(LARGEST) == LARGEST
    assert PARAMETERS["personal_matters.due_month_day"].check("12-31") == "12-31"


def test_evaluate_checks_parameters_the_same_way() -> None:
    doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"}, "members": []}
    with pytest.raises(ValueError, match=r"research\.months: -3 is not a whole number"):
        sr.evaluate(doc, "2018", "2019-03-01", parameters={"research.months": -3})
    with pytest.raises(ValueError, match="unknown parameter: an int is not a string"):
        sr.evaluate(doc, "2018", "2019-03-01", parameters={1: 2})


def test_a_lying_parameter_name_or_date_or_flag_in_a_module_is_refused() -> None:
    class Name(str):
        def __hash__(self) -> int:
            return hash("research.topics_max")

    # The name is read as the text it holds, whatever it hashes like.
    change = ParameterChange(Name("research.months"), 1, ON, "改")
    with pytest.raises(sr.ModuleError, match=r"research\.months \(2 → 1\) loosens"):
        build_law(BASE, [district(change)])

    # A lying effective date is read as the day it holds: the change starts then.
    later = ParameterChange("research.months", 3, LiarDate(2019, 7, 1), "改")
    law = build_law(BASE, [district(later)])
    assert law.value("research.months", dt.date(2019, 6, 30)) == 2
    assert law.value("research.months", dt.date(2019, 7, 1)) == 3
    starts = [s.days.start for s in law.parameters["research.months"].segments]
    assert all(type(d) is dt.date for d in starts)

    class Flip:
        def __init__(self) -> None:
            self.asked = 0

        def __bool__(self) -> bool:
            self.asked += 1
            return self.asked == 1  # "replaces" to the first question only

    obligation = BASE.rules["6.integrity"].obligation
    sneaky = AmendRule("6.integrity", obligation, ON, "改", replaces=Flip())  # type: ignore[arg-type]
    with pytest.raises(sr.ModuleError, match="replaces must be True or False"):
        build_law(BASE, [district(sneaky)])


def test_a_reason_that_is_blank_or_not_text_is_no_reason() -> None:
    for reason in ("   ", LiarStr("")):
        change = ParameterChange("research.months", 1, ON, "改", reason=reason)
        with pytest.raises(sr.ModuleError, match="give a reason"):
            build_law(BASE, [district(change)])
    change = ParameterChange("research.months", 1, ON, "改", reason=5)  # type: ignore[arg-type]
    with pytest.raises(sr.ModuleError, match="reason: an int is not a string"):
        build_law(BASE, [district(change)])


def test_exact_reads_the_stored_value() -> None:
    assert exact.whole(LiarInt(7)) == 7
    assert exact.text(LiarStr("abc")) == "abc"
    assert exact.texts(LiarList(["a", "b"])) == ("a", "b")
    with pytest.raises(TypeError):
        exact.whole(ClaimsToBeInt())
