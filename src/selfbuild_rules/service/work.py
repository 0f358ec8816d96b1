"""What the service does for a request, as plain functions run off the event loop.

:class:`Service` is fixed at start-up: the base regulation, the modules loaded once,
and the parameters the operator set with ``--set``. A request may set any other
parameter; setting one the operator fixed is refused (403), as is naming a module
that was not loaded at start-up, so an operator's choices cannot be undone by a caller.

>>> service = Service.start()
>>> query = Query.parse(service, {"period": ["2018"], "as_of": ["2019-03-01"]})
>>> str(query.options.period), query.form
('2018', 'json')
"""

from __future__ import annotations

import datetime as _dt
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from selfbuild_rules.engine.run import prepared, results
from selfbuild_rules.engine.setup import Options, Setup
from selfbuild_rules.evaluation import base_for, load_facts, setup_for
from selfbuild_rules.facts.digest import FactsDigest, sha256_hex
from selfbuild_rules.facts.loading import FactsError
from selfbuild_rules.facts.records import CATEGORIES, Facts
from selfbuild_rules.plugins.base import Base
from selfbuild_rules.plugins.discovery import load_module
from selfbuild_rules.plugins.modules import Module, ModuleError
from selfbuild_rules.report.document import Report
from selfbuild_rules.report.stream import json_report
from selfbuild_rules.service.problems import ServiceError, from_facts_error

__all__ = [
    "Answer", "Query", "Service", "evaluate", "parameter", "validate",
]  # fmt: skip

#: The media type of each report form a request may ask for.
MEDIA = {"json": "application/json", "html": "text/html", "markdown": "text/markdown"}


def parameter(text: str) -> tuple[str, object]:
    """``NAME=VALUE`` as the command line's ``--set`` reads it: JSON, else the text.

    >>> parameter("research.pro_rating=none"), parameter("x=3")
    (('research.pro_rating', 'none'), ('x', 3))
    """
    name, sep, raw = text.partition("=")
    if not sep or not name.strip():
        raise ValueError(f"{text!r}: use NAME=VALUE")
    try:
        value: object = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return name.strip(), value


@attrs.frozen
class Service:
    """What is fixed when the service starts."""

    base: Base
    modules: tuple[Module, ...] = ()
    fixed: Mapping[str, object] = attrs.field(factory=dict)

    @classmethod
    def start(
        cls,
        modules: Sequence[str] = (),
        regulation: str | None = None,
        fixed: Mapping[str, object] | None = None,
    ) -> Service:
        """Load the named modules once and check the fixed parameters; ``ValueError``
        (with one line) when they cannot be used."""
        loaded = tuple(load_module(m) for m in modules)
        base = base_for(regulation, loaded)
        service = cls(base, loaded, dict(fixed or {}))
        service.setup(Options.of("2018", "2019-03-01", modules=loaded))  # checks --set
        return service

    def setup(self, options: Options) -> Setup:
        """``options`` on this service's base, with the fixed parameters applied."""
        given = {**options.parameters, **self.fixed}
        setup = setup_for(attrs.evolve(options, parameters=given), self.base)
        setup.parameters()  # unknown or bad parameters raise here, not in a thread
        return setup


def _listed(values: Sequence[str]) -> list[str]:
    """Repeatable and comma-separated alike: ``rules=a&rules=b`` or ``rules=a,b``."""
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _one(query: Mapping[str, Sequence[str]], name: str) -> str | None:
    values = query.get(name) or []
    if len(values) > 1:
        raise ServiceError(422, f"{name}: give it once")
    return values[0] if values else None


def _modules(service: Service, query: Mapping[str, Sequence[str]]) -> tuple[Module, ...]:
    if "modules" not in query:
        return service.modules
    loaded = {m.id: m for m in service.modules}
    wanted = _listed(query["modules"])
    refused = [m for m in wanted if m not in loaded]
    if refused:
        raise ServiceError(403, f"modules not loaded by this service: {', '.join(refused)}")
    return tuple(loaded[m] for m in wanted)


def _parameters(service: Service, query: Mapping[str, Sequence[str]]) -> dict[str, object]:
    try:
        given = dict(parameter(t) for t in query.get("set", []))
    except ValueError as exc:
        raise ServiceError(422, f"set: {exc}") from None
    fixed = sorted(set(given) & set(service.fixed))
    if fixed:
        raise ServiceError(403, f"parameters fixed by this service: {', '.join(fixed)}")
    return given


@attrs.frozen
class Query:
    """An evaluation's options and report form, from a request's query parameters."""

    options: Options
    setup: Setup
    form: str = "json"
    lang: str = "en"

    @classmethod
    def parse(
        cls, service: Service, query: Mapping[str, Sequence[str]], form: str = "json"
    ) -> Query:
        """Named as on the command line; 422 (or 403, see :class:`Service`) when wrong."""
        period, as_of, lang = _one(query, "period"), _one(query, "as_of"), _one(query, "lang")
        if period is None:
            raise ServiceError(422, "period: required (YYYY, YYYY-Qn or YYYY-MM)")
        if lang not in (None, "en", "zh"):
            raise ServiceError(422, f"lang: {lang!r} is not en or zh")
        rules = _listed(query["rules"]) if "rules" in query else None
        subjects = _listed(query["subjects"]) if "subjects" in query else None
        modules, parameters = _modules(service, query), _parameters(service, query)
        try:
            if as_of is not None:
                _dt.date.fromisoformat(as_of)
            options = Options.of(
                period, as_of, parameters=parameters, rules=rules, subjects=subjects,
                modules=modules,
            )  # fmt: skip
            setup = service.setup(options)
        except ValueError as exc:  # the period, as_of, a parameter, modules that clash
            raise ServiceError(422, str(exc)) from None
        return cls(options, setup, form, lang or "en")


@attrs.frozen
class Answer:
    """A report to send, with the number of results of each status (for the audit)."""

    body: bytes
    media_type: str
    counts: Mapping[str, int]


def _load(body: bytes, lines: bool, base: Base) -> Facts:
    try:
        return load_facts(io.BytesIO(body), lines=lines, regulation=base)
    except FactsError as exc:
        raise from_facts_error(exc) from None


def evaluate(query: Query, body: bytes, lines: bool, sha256: str | None = None) -> Answer:
    """The report of the facts in ``body``: the command line's bytes for the same input.

    The JSON form is made as ``evaluate --format json`` makes it (streamed, joined here).
    ``sha256`` is the body's, when the caller has it already (for the audit log).
    """
    facts = _load(body, lines, query.setup.base)
    digest = FactsDigest(sha256 or sha256_hex(body))
    try:
        if query.form == "json":
            streamed = json_report(facts, query.setup, digest=digest)
            made = b"".join(streamed.chunks())
            return Answer(made, MEDIA["json"], dict(streamed.counts))
        run = prepared(facts, query.setup)
    except (ValueError, ModuleError) as exc:  # unknown rules or subjects, modules not applying
        raise ServiceError(422, str(exc)) from None
    report = Report.of(run, results(run), digest)
    text = report.to_html(query.lang) if query.form == "html" else report.to_markdown(query.lang)
    return Answer(text.encode("utf-8"), MEDIA[query.form], report.summary())


def validate(service: Service, body: bytes, lines: bool) -> bytes:
    """``validate --format json`` of the facts in ``body``: 422 with the problems if invalid."""
    facts = _load(body, lines, service.base)
    counts: dict[str, Any] = {}
    for c in CATEGORIES:
        found = getattr(facts, c)
        counts[c] = None if found is None else len(found)
    document = {"valid": True, "counts": counts}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
