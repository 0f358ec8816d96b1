"""The Tianjin 2018 regulation as data: structure, quotations and legal coverage."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from selfbuild_rules.law.text import (
    Principle,
    Provision,
    ProvisionKind,
    SubjectKind,
    build_regulation,
)
from selfbuild_rules.tianjin2018.provisions import TIANJIN_2018, load_text

TEXT_FILE = (
    Path(__file__).resolve().parents[1]
    / "src"
    / "selfbuild_rules"
    / "tianjin2018"
    / "tianjin-2018-selfbuild.zh.txt"
)
NUMERALS = "一二三四五六"


def _headings_in_text_file() -> dict[str, str]:
    """Each numbered heading as it stands in the shipped text, read independently."""
    pattern = re.compile(r"^[\s\u3000]*([一二三四五六七八九十])、(.+?)[\s\u3000]*$")
    found = {}
    for line in TEXT_FILE.read_text("utf-8").splitlines():
        match = pattern.match(line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


def _is_punctuation(char: str) -> bool:
    return char.isspace() or unicodedata.category(char).startswith("P")


def _sentences() -> list[tuple[Principle, int, str]]:
    return [
        (principle, index, sentence)
        for principle in TIANJIN_2018.principles
        for index, sentence in enumerate(principle.sentences, start=1)
    ]


# --- structure ---------------------------------------------------------------------------


def test_six_principles_with_headings_from_the_text_file() -> None:
    headings = _headings_in_text_file()
    assert list(headings) == list(NUMERALS)
    assert [p.number for p in TIANJIN_2018.principles] == list(NUMERALS)
    for principle in TIANJIN_2018.principles:
        assert principle.title == headings[principle.number]
        assert principle.english_title.strip()
        assert principle.body
        assert principle.provisions, f"principle {principle.number} has no provisions"


def test_headings_are_the_known_ones() -> None:
    assert TIANJIN_2018.principles[0].title == "坚持维护核心，忠诚为政"
    assert TIANJIN_2018.principles[5].title == "坚持改进作风，廉洁从政"


def test_provision_ids_are_unique() -> None:
    ids = [p.id for p in TIANJIN_2018.provisions()]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"duplicate provision ids: {duplicates}"


def test_provision_ids_are_well_formed_and_match_their_principle() -> None:
    for principle in TIANJIN_2018.principles:
        digit = str(NUMERALS.index(principle.number) + 1)
        for provision in principle.provisions:
            assert re.fullmatch(r"[1-6]\.[a-z0-9-]+", provision.id), provision.id
            assert provision.id[0] == digit, f"{provision.id} sits under {principle.number}"
            assert provision.principle == principle.number
            cited = provision.citation_in(TIANJIN_2018.id)
            assert cited == f"tianjin-2018 {principle.number} {provision.id}"


def test_lookup_by_id() -> None:
    assert TIANJIN_2018.provision("3.research-days").text == (
        "领导班子成员每年深入基层调研时间不少于2个月",
    )
    with pytest.raises(KeyError, match=r"9\.missing"):
        TIANJIN_2018.provision("9.missing")


def test_kinds_and_subjects() -> None:
    expected = {
        "1.loyalty": "JM", "1.ideals": "JM", "1.political-discipline": "JM",
        "2.guiding-thought": "JT", "2.relay-directives": "ET", "2.congress-report-study": "JM",
        "2.central-group-study": "ET", "2.capabilities": "JM", "2.apply-learning": "JT",
        "3.development-philosophy": "JT", "3.implementation": "JT", "3.research-culture": "JM",
        "3.research-days": "EM", "3.research-topics": "EM", "3.research-reports": "EM",
        "3.research-follow-through": "JM",
        "4.people-centred": "JT", "4.grassroots-work": "JM", "4.contact-point": "EM",
        "4.contact-point-visits": "EM", "4.livelihood-projects": "ET",
        "4.livelihood-progress": "JT",
        "5.rule-of-law": "JT", "5.accept-supervision": "JT", "5.scientific-decision-making": "JT",
        "5.transparency": "JT", "5.legal-review": "ET", "5.expert-consultation": "JT",
        "5.rules-of-procedure": "JT", "5.collective-decision": "ET",
        "5.democratic-centralism": "JT",
        "6.party-spirit": "JM", "6.conduct-rules": "JM", "6.personal-matters-report": "EM",
        "6.treatment-rules": "JM", "6.integrity": "EM", "6.family-discipline": "JM",
        "6.democratic-life-meeting": "ET", "6.criticism": "JT", "6.party-governance": "JT",
    }  # fmt: skip
    kinds = {"E": ProvisionKind.EVALUABLE, "J": ProvisionKind.JUDGMENT}
    subjects = {"M": SubjectKind.MEMBER, "T": SubjectKind.TEAM}
    actual = {p.id: p for p in TIANJIN_2018.provisions()}
    assert list(actual) == list(expected)
    for provision_id, code in expected.items():
        assert actual[provision_id].kind is kinds[code[0]], provision_id
        assert actual[provision_id].subject is subjects[code[1]], provision_id


def test_evaluable_provisions_are_exactly_these() -> None:
    evaluable = {p.id for p in TIANJIN_2018.provisions() if p.kind is ProvisionKind.EVALUABLE}
    assert evaluable == {
        "2.relay-directives",
        "2.central-group-study",
        "3.research-days",
        "3.research-topics",
        "3.research-reports",
        "4.contact-point",
        "4.contact-point-visits",
        "4.livelihood-projects",
        "5.collective-decision",
        "5.legal-review",
        "6.personal-matters-report",
        "6.democratic-life-meeting",
        "6.integrity",
    }


def test_evaluable_provisions_say_how_they_are_read() -> None:
    for provision in TIANJIN_2018.provisions():
        if provision.kind is ProvisionKind.EVALUABLE:
            assert provision.notes, f"{provision.id} has no interpretation note"
            assert all(note.strip() for note in provision.notes), provision.id


def test_metadata() -> None:
    assert TIANJIN_2018.id == "tianjin-2018"
    assert TIANJIN_2018.title == "天津市人民政府领导班子关于加强自身建设的规定"
    assert TIANJIN_2018.adopted == date(2018, 2, 1)
    assert TIANJIN_2018.issued == date(2018, 2, 2)
    assert "第1次常务会议" in TIANJIN_2018.adopted_by
    assert TIANJIN_2018.preamble.startswith("天津市人民政府新一届领导班子")


# --- quotations ------------------------------------------------------------------------------


def test_every_fragment_is_an_exact_unambiguous_quotation_within_one_sentence() -> None:
    for principle in TIANJIN_2018.principles:
        for provision in principle.provisions:
            for fragment in provision.text:
                assert "。" not in fragment, f"{provision.id}: fragment spans or ends a sentence"
                assert fragment == fragment.strip(), f"{provision.id}: stray whitespace"
                assert principle.body.count(fragment) == 1, (
                    f"{provision.id}: {fragment!r} occurs {principle.body.count(fragment)} times"
                )
                assert any(fragment in s for s in principle.sentences), provision.id


@pytest.mark.parametrize(
    ("principle", "index", "sentence"),
    _sentences(),
    ids=[f"{p.number}-{i}" for p, i, _ in _sentences()],
)
def test_legal_coverage(principle: Principle, index: int, sentence: str) -> None:
    """Every non-punctuation character of the law is encoded by some provision."""
    covered = [False] * len(sentence)
    for provision in principle.provisions:
        for fragment in provision.text:
            start = sentence.find(fragment)
            while start != -1:
                covered[start : start + len(fragment)] = [True] * len(fragment)
                start = sentence.find(fragment, start + 1)
    uncovered = "".join(
        char if not (ok or _is_punctuation(char)) else "·"
        for char, ok in zip(sentence, covered, strict=True)
    )
    missing = "".join(c for c in uncovered if c != "·")
    assert not missing, (
        f"principle {principle.number} sentence {index} not fully covered:\n"
        f"  sentence:  {sentence}\n  uncovered: {uncovered}"
    )


def test_sentence_count_matches_the_law() -> None:
    assert [len(p.sentences) for p in TIANJIN_2018.principles] == [3, 6, 4, 4, 7, 8]


def _build(provision: Provision) -> object:
    return build_regulation(
        load_text(),
        preamble_starts="天津市人民政府新一届领导班子",
        id="bogus",
        title=TIANJIN_2018.title,
        english_title=TIANJIN_2018.english_title,
        adopted=TIANJIN_2018.adopted,
        adopted_by=TIANJIN_2018.adopted_by,
        issued=TIANJIN_2018.issued,
        english_titles={p.number: p.english_title for p in TIANJIN_2018.principles},
        provisions=(provision,),
    )


@pytest.mark.parametrize(
    ("principle", "text"),
    [
        ("一", "不存在的条文"),
        # a real clause with an ASCII comma in place of the full-width one
        ("三", "确定1至2个重点课题,开展专题调研"),
        # a real clause quoted under the wrong principle
        ("二", "坚持民主生活会制度"),
    ],
)
def test_wrong_quotation_is_rejected(principle: str, text: str) -> None:
    bogus = Provision(
        id="9.bogus",
        principle=principle,
        kind=ProvisionKind.JUDGMENT,
        subject=SubjectKind.TEAM,
        title="Bogus",
        text=(text,),
        english="Not in the law.",
    )
    with pytest.raises(ValueError, match=r"9\.bogus"):
        _build(bogus)


def test_a_correct_quotation_builds() -> None:
    good = TIANJIN_2018.provision("6.democratic-life-meeting")
    built = _build(good)
    assert isinstance(built, type(TIANJIN_2018))
