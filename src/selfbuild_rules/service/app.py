"""The Litestar application: the endpoints under ``/v1``, the OpenAPI document, the
docs page, errors as problem details, authentication and the audit log.

>>> from selfbuild_rules.service.work import Service
>>> app = build_app(Settings(Service.start()))
>>> sorted(r.path for r in app.routes if r.path.startswith("/v1"))[:3]
['/v1/catalog', '/v1/evaluate', '/v1/health']
"""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Annotated, Any

import attrs
from litestar import Litestar, Request, Response, get, post
from litestar.connection import ASGIConnection
from litestar.enums import MediaType
from litestar.exceptions import HTTPException, ValidationException
from litestar.handlers.base import BaseRouteHandler
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.plugins import OpenAPIRenderPlugin
from litestar.params import PathParameter, QueryParameter

from selfbuild_rules.facts.digest import sha256_hex
from selfbuild_rules.plugins.discovery import MODULES_GROUP, installed, installed_modules, origin_of
from selfbuild_rules.plugins.modules import NewProvision
from selfbuild_rules.report import catalog as _catalog
from selfbuild_rules.report.provenance import library_version
from selfbuild_rules.service import work
from selfbuild_rules.service.audit import AuditLog
from selfbuild_rules.service.auth import Tokens
from selfbuild_rules.service.limits import Gate, read_body
from selfbuild_rules.service.middleware import NOTE, audited
from selfbuild_rules.service.openapi import NDJSON, completed
from selfbuild_rules.service.problems import PROBLEM_JSON, ProblemDetails, ServiceError

__all__ = ["Settings", "build_app"]


@attrs.frozen
class Settings:
    """The service's state and limits, fixed at start-up."""

    service: work.Service
    tokens: Tokens | None = None
    audit: AuditLog | None = None
    max_body: int = 64 * 1024 * 1024
    timeout: float = 60.0
    max_concurrent: int = 32


def _problem(error: ServiceError) -> Response[bytes]:
    import msgspec

    body = msgspec.json.encode(error.details())
    return Response(body, status_code=error.status, media_type=PROBLEM_JSON, headers=error.headers)


def _on_service_error(_request: Request[Any, Any, Any], exc: ServiceError) -> Response[bytes]:
    return _problem(exc)


def _on_http_error(_request: Request[Any, Any, Any], exc: HTTPException) -> Response[bytes]:
    if isinstance(exc, ValidationException):  # a query parameter of the wrong type
        extra = exc.extra if isinstance(exc.extra, list) else []
        said = [f"{e.get('key')}: {e.get('message')}" for e in extra if isinstance(e, dict)]
        return _problem(ServiceError(422, "; ".join(said) or "bad parameters"))
    headers = dict(exc.headers or {})
    return _problem(ServiceError(exc.status_code, str(exc.detail), headers=headers))


def _on_error(_request: Request[Any, Any, Any], _exc: Exception) -> Response[bytes]:
    # Never a traceback in a body: the details stay in the server's log.
    return _problem(ServiceError(500, "internal error; the service's log has the details"))


def _errors(*statuses: int) -> dict[int, ResponseSpec]:
    spec = ResponseSpec(
        ProblemDetails,
        generate_examples=False,
        description="problem details",
        media_type=PROBLEM_JSON,
    )
    return {s: spec for s in statuses}


_GUARDED = (401, 500)
_BODY = (400, 401, 403, 406, 413, 415, 422, 429, 500, 503)


def _media(request: Request[Any, Any, Any]) -> bool:
    """Whether the body is JSON Lines; 415 for anything but JSON or JSON Lines."""
    given = (request.headers.get("content-type") or "application/json").split(";")[0]
    given = given.strip().lower()
    if given not in ("application/json", NDJSON):
        raise ServiceError(415, f"send application/json or {NDJSON}, not {given}")
    return given == NDJSON


def _form(accept: str | None) -> str:
    """The report form an ``Accept`` header asks for; 406 when it allows none."""
    if not accept:
        return "json"
    wanted = [part.split(";")[0].strip().lower() for part in accept.split(",")]
    for media in wanted:
        for form, known in work.MEDIA.items():
            if media == known:
                return form
        if media in ("*/*", "application/*"):
            return "json"
    raise ServiceError(406, "the report is application/json, text/html or text/markdown")


async def _body(request: Request[Any, Any, Any], settings: Settings) -> tuple[bytes, str]:
    """The body and its SHA-256, hashed once for the audit log and the report's provenance."""
    body = await read_body(
        request.stream(), request.headers.get("content-length"), settings.max_body
    )
    sha256 = NOTE.get({})["body_sha256"] = sha256_hex(body)
    return body, sha256


def _json(document: object) -> Response[bytes]:
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return Response(text.encode("utf-8"), media_type="application/json")


def _settings(request: Request[Any, Any, Any]) -> Settings:
    found: Settings = request.app.state["settings"]
    return found


@post(
    "/v1/evaluate", status_code=200, responses=_errors(*_BODY), security=[{"bearer": []}],
    summary="Evaluate facts: the report, as `selfbuild-rules evaluate --format json` gives it",
)  # fmt: skip
async def evaluate_facts(
    request: Request[Any, Any, Any],
    period: Annotated[str, QueryParameter(description="YYYY, YYYY-Qn or YYYY-MM")],
    as_of: Annotated[
        str | None, QueryParameter(description="YYYY-MM-DD; default today in China")
    ] = None,
    lang: Annotated[str | None, QueryParameter(description="en or zh (HTML and Markdown)")] = None,
    rules: Annotated[
        list[str] | None, QueryParameter(description="provision ids, repeated or commas")
    ] = None,
    subjects: Annotated[
        list[str] | None,
        QueryParameter(
            description="member ids, and team for the team's results; "
            "repeated or commas (422 naming an unknown one)"
        ),
    ] = None,
    modules: Annotated[
        list[str] | None, QueryParameter(description="some of the loaded modules")
    ] = None,
    set_: Annotated[list[str] | None, QueryParameter(name="set", description="NAME=VALUE")] = None,
) -> Response[bytes]:
    settings = _settings(request)
    form, lines = _form(request.headers.get("accept")), _media(request)
    query = {k: request.query_params.getall(k) for k in request.query_params}
    note = NOTE.get({})
    note.update(period=period, as_of=as_of, modules=query.get("modules"))
    parsed = work.Query.parse(settings.service, query, form)
    note["as_of"] = parsed.options.as_of.isoformat()
    note["modules"] = [m.id if not isinstance(m, str) else m for m in parsed.options.modules]
    body, sha256 = await _body(request, settings)
    answer = await settings_gate(request).run(lambda: work.evaluate(parsed, body, lines, sha256))
    note["counts"] = dict(answer.counts)
    return Response(answer.body, media_type=answer.media_type)


def settings_gate(request: Request[Any, Any, Any]) -> Gate:
    gate: Gate = request.app.state["gate"]
    return gate


@post(
    "/v1/validate", status_code=200, responses=_errors(*_BODY), security=[{"bearer": []}],
    summary="Check facts: every problem, as `selfbuild-rules validate --format json` lists them",
)  # fmt: skip
async def validate_facts(request: Request[Any, Any, Any]) -> Response[bytes]:
    settings = _settings(request)
    lines = _media(request)
    body, _sha256 = await _body(request, settings)
    made = await settings_gate(request).run(lambda: work.validate(settings.service, body, lines))
    return Response(made, media_type="application/json")


@get("/v1/catalog", responses=_errors(*_GUARDED), security=[{"bearer": []}],
     summary="Every provision of the base regulation and the loaded modules' changes")  # fmt: skip
async def catalog(request: Request[Any, Any, Any]) -> Response[bytes]:
    service = _settings(request).service
    document = _catalog.catalog(service.base)
    document["modules"] = [_catalog.module_entry(service.base, m) for m in service.modules]
    return _json(document)


@get("/v1/provisions/{provision_id:path}", responses=_errors(404, *_GUARDED),
     security=[{"bearer": []}],
     summary="One provision, as `explain --format json` gives it")  # fmt: skip
async def provision(
    request: Request[Any, Any, Any], provision_id: Annotated[str, PathParameter()]
) -> Response[bytes]:
    service, wanted = _settings(request).service, provision_id.lstrip("/")
    try:
        return _json(_catalog.describe(service.base, service.base.regulation.provision(wanted)))
    except KeyError:
        pass
    for module in service.modules:
        for change in module.changes:
            if isinstance(change, NewProvision) and change.provision.id == wanted:
                return _json(_catalog.describe(service.base, change.provision, change.rule))
    raise ServiceError(404, f"{wanted}: no such provision (see /v1/catalog)")


@get("/v1/schema", responses=_errors(*_GUARDED), security=[{"bearer": []}],
     summary="The JSON Schema of the facts format")  # fmt: skip
async def schema(request: Request[Any, Any, Any]) -> Response[bytes]:
    from selfbuild_rules.facts.schema import facts_schema

    return _json(facts_schema())


def _distribution(name: str) -> dict[str, str] | None:
    found = installed(MODULES_GROUP, name)
    return None if found is None else {"distribution": found.distribution, "version": found.version}


@get("/v1/modules", responses=_errors(*_GUARDED), security=[{"bearer": []}],
     summary="The installed modules, and those this service loaded at start-up")  # fmt: skip
async def modules_listing(request: Request[Any, Any, Any]) -> Response[bytes]:
    service = _settings(request).service
    listed = [
        {"id": name, "entry_point": where, **(_distribution(name) or {})}
        for name, where in installed_modules().items()
    ]
    loaded = [_module(m) for m in service.modules]
    return _json({"installed": listed, "loaded": loaded})


def _module(module: Any) -> dict[str, Any]:
    origin = origin_of(module)
    shipped = (
        {} if origin is None else {"distribution": origin.distribution, "version": origin.version}
    )
    return {"id": module.id, "version": getattr(module, "version", None), **shipped}


@get("/v1/health", summary="Liveness: library version, base regulation, loaded modules")
async def health(request: Request[Any, Any, Any]) -> Response[bytes]:
    service = _settings(request).service
    base = {"id": service.base.id, "version": service.base.version}
    document = {
        "status": "ok",
        "library": library_version(),
        "regulation": base,
        "modules": [_module(m) for m in service.modules],
    }
    return _json(document)


def _document(app: Litestar) -> bytes:
    """The completed OpenAPI document (see :mod:`~selfbuild_rules.service.openapi`),
    made on first use from Litestar's and kept: it is the same for the service's life."""
    made: bytes | None = app.state.get("openapi")
    if made is None:
        document = completed(copy.deepcopy(app.openapi_schema.to_schema()))
        made = app.state["openapi"] = json.dumps(document, ensure_ascii=False).encode("utf-8")
    return made


class _Document(OpenAPIRenderPlugin):
    """Litestar's own OpenAPI routes (under ``/_openapi``) serve the completed document
    too, never a second version of it; its UI pages would load scripts from a CDN."""

    def __init__(self) -> None:
        super().__init__(path="/openapi.json", media_type=MediaType.JSON)

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return _document(request.app)


@get("/openapi.json", include_in_schema=False)
async def openapi(request: Request[Any, Any, Any]) -> Response[bytes]:
    return Response(_document(request.app), media_type="application/json")


@get(["/", "/docs"], include_in_schema=False)
async def docs_page() -> Response[bytes]:
    page = resources.files("selfbuild_rules.service").joinpath("docs.html").read_bytes()
    return Response(page, media_type="text/html")


_OPEN = {
    "/",
    "/v1/health",
    "/openapi.json",
    "/docs",
    "/_openapi",
    "/_openapi/openapi.json",
}  # liveness probes and the docs need no token


async def _guard(
    connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler
) -> None:
    # A coroutine: Litestar runs a plain function guard in a thread, a hop per request.
    tokens: Tokens | None = connection.app.state["settings"].tokens
    if tokens is None or connection.url.path in _OPEN:
        return
    name = tokens.name_of(connection.headers.get("authorization"))
    if name is None:
        raise ServiceError(
            401, "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"}
        )
    NOTE.get({})["token"] = name


def build_app(settings: Settings) -> Litestar:
    """The application for ``settings``; its OpenAPI document is made once, here."""
    gate = Gate(settings.max_concurrent, settings.timeout)

    def shutdown() -> None:
        gate.close()
        if settings.audit is not None:
            settings.audit.close()

    app = Litestar(
        [evaluate_facts, validate_facts, catalog, provision, schema, modules_listing, health,
         openapi, docs_page],
        guards=[_guard],
        middleware=[audited],
        exception_handlers={
            ServiceError: _on_service_error, HTTPException: _on_http_error, Exception: _on_error,
        },
        openapi_config=OpenAPIConfig(
            title="selfbuild-rules", version=library_version(), path="/_openapi",
            render_plugins=[_Document()],
        ),
        request_max_body_size=None,  # read_body enforces --max-body, as problem details
        on_shutdown=[shutdown],
        debug=False,
        state=None,
    )  # fmt: skip
    app.state["settings"], app.state["gate"] = settings, gate
    return app
