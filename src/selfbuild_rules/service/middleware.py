"""The audit log's side of each request: a note that the handlers fill in as they
go (who, which period, the body's digest, the counts), written as one line when the
response has started, whatever happened in between (errors included)."""

from __future__ import annotations

import time
from contextvars import ContextVar
from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from selfbuild_rules.service.audit import AuditLog

__all__ = ["NOTE", "audited"]

#: What one request did, filled in as it goes, for its audit line.
NOTE: ContextVar[dict[str, Any]] = ContextVar("audit_note")


def audited(app: ASGIApp) -> ASGIApp:
    """ASGI middleware: one audit line per HTTP request, after its response started."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        audit: AuditLog | None = None
        state = scope.get("app")
        if state is not None:
            audit = state.state["settings"].audit
        if str(scope["type"]) != "http" or audit is None:
            await app(scope, receive, send)
            return
        note: dict[str, Any] = {}
        token = NOTE.set(note)
        started, status = time.perf_counter(), 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await app(scope, receive, sending)
        finally:
            NOTE.reset(token)
            client = scope.get("client")
            audit.write({
                "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "token": note.get("token"),
                "client": client[0] if client else None,
                "endpoint": f"{scope.get('method')} {scope['path']}",
                "status": status,
                "period": note.get("period"),
                "as_of": note.get("as_of"),
                "modules": note.get("modules"),
                "body_sha256": note.get("body_sha256"),
                "counts": note.get("counts"),
                "duration_ms": round((time.perf_counter() - started) * 1000, 3),
            })  # fmt: skip

    return middleware
