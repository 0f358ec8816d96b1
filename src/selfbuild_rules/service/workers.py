"""What the command line chose, made into the service's settings: once in one process,
or once in each of ``--processes N`` worker processes that uvicorn starts.

With several processes, each is a whole service (its own event loop, threads, tokens,
modules and audit writer) accepting connections from one listening socket that the
first process bound; nothing is handed between processes. Uvicorn's supervisor starts
them (spawned, so a worker imports and loads what it needs itself: only
:class:`Choices` is sent), restarts one that dies, and on SIGTERM tells each to drain.

>>> choices = Choices(fixed=(("research.pro_rating", "none"),))
>>> settings = choices.settings()
>>> settings.service.fixed, settings.tokens is None, settings.max_concurrent
({'research.pro_rating': 'none'}, True, 32)
"""

from __future__ import annotations

import signal
from typing import TYPE_CHECKING

import attrs

from selfbuild_rules.internal.i18n import N_

if TYPE_CHECKING:
    from litestar import Litestar
    from uvicorn import Config

    from selfbuild_rules.service.app import Settings

__all__ = ["Choices", "ServeError", "run_workers", "worker_app"]


class ServeError(Exception):
    """The service cannot start: one line for the command line to print (exit 2)."""


@attrs.frozen
class Choices:
    """The ``serve`` options that make a service: plain values, sent to each worker."""

    modules: tuple[str, ...] = ()
    regulation: str | None = None
    fixed: tuple[tuple[str, object], ...] = ()
    tokens: str | None = None
    audit_log: str | None = None
    max_body: int = 64 * 1024 * 1024
    timeout: float = 60.0
    max_concurrent: int = 32

    def settings(self) -> Settings:
        """The service's settings: modules loaded, tokens read, the audit log open;
        :class:`ServeError` with one line when one of them cannot be used."""
        from selfbuild_rules.service.app import Settings
        from selfbuild_rules.service.audit import AuditLog
        from selfbuild_rules.service.auth import Tokens
        from selfbuild_rules.service.work import Service

        try:
            tokens = None if self.tokens is None else Tokens.read(self.tokens)
            service = Service.start(self.modules, self.regulation, dict(self.fixed))
        except ValueError as exc:  # a bad token file, module or parameter (ModuleError too)
            raise ServeError(str(exc)) from None
        try:
            audit = None if self.audit_log is None else AuditLog.open(self.audit_log)
        except OSError as exc:
            raise ServeError(
                N_("cannot open {source}: {reason}").format(
                    source=self.audit_log, reason=exc.strerror or exc
                )
            ) from None
        return Settings(service, tokens, audit, self.max_body, self.timeout, self.max_concurrent)


def worker_app(choices: Choices) -> Litestar:
    """A worker process's application (uvicorn calls it once the worker has started)."""
    from selfbuild_rules.service.app import build_app

    return build_app(choices.settings())


def run_workers(config: Config) -> None:
    """Run ``config.workers`` worker processes until SIGTERM or SIGINT; then end by that
    signal, as one process does (uvicorn raises it again once drained)."""
    from uvicorn.supervisors import Multiprocess

    class Supervisor(Multiprocess):
        """Uvicorn's supervisor, which also closes its own copy of the listening socket
        on SIGTERM or SIGINT (so that new connections are refused while the workers
        drain, not left waiting) and remembers the signal."""

        stopped_by: int | None = None

        def _stop(self, sig: int) -> None:
            for sock in self.sockets:
                sock.close()
            self.stopped_by = sig
            self.should_exit.set()

        def handle_term(self) -> None:
            self._stop(signal.SIGTERM)

        def handle_int(self) -> None:
            self._stop(signal.SIGINT)

    supervisor = Supervisor(config, [config.bind_socket()])
    supervisor.run()
    if supervisor.stopped_by is not None:
        signal.signal(supervisor.stopped_by, signal.SIG_DFL)
        signal.raise_signal(supervisor.stopped_by)
