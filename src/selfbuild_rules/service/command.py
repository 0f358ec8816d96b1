"""``selfbuild-rules serve``: its arguments, and running the service with uvicorn.

Litestar and uvicorn are imported only when the command runs, so the rest of the
command line works without the ``serve`` extra. Without ``--tokens`` the service binds
only a loopback address: anyone who can reach it could evaluate anything.

>>> import argparse
>>> parser = argparse.ArgumentParser()
>>> add_parser(parser.add_subparsers(dest="command"))
>>> args = parser.parse_args(["serve", "--set", "research.pro_rating=none"])
>>> args.port, args.parameters
(8080, [('research.pro_rating', 'none')])
"""

from __future__ import annotations

import argparse
import functools
import ipaddress
import sys
from typing import TYPE_CHECKING, Any

import attrs

from selfbuild_rules.internal.i18n import N_, _, translated
from selfbuild_rules.service.work import parameter

if TYPE_CHECKING:
    from selfbuild_rules.service.app import Settings

__all__ = ["add_parser", "serve"]


class ServeError(Exception):
    """The service cannot start: one line for the command line to print (exit 2)."""


@attrs.frozen
class Choices:
    """The ``serve`` options that make a service's settings."""

    modules: tuple[str, ...] = ()
    regulation: str | None = None
    fixed: tuple[tuple[str, object], ...] = ()
    tokens: str | None = None
    audit_log: str | None = None
    max_body: int = 64 * 1024 * 1024
    timeout: float = 60.0
    max_concurrent: int = 32

    def settings(self) -> Settings:
        """Modules loaded, tokens read, the audit log open; :class:`ServeError` with
        one line when one of them cannot be used.

        >>> Choices(fixed=(("research.pro_rating", "none"),)).settings().service.fixed
        {'research.pro_rating': 'none'}
        """
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


def _parameter(text: str) -> tuple[str, object]:
    try:
        return parameter(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive(kind: type[int] | type[float]) -> Any:
    def read(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            value = 0
        if value <= 0:
            raise argparse.ArgumentTypeError(
                _("{text}: use a number above 0").format(text=repr(text))
            )
        return value

    return read


def add_parser(commands: Any) -> None:
    """Add the ``serve`` command to the command line's sub-commands."""
    sv = commands.add_parser("serve", help="serve the evaluation over HTTP (the serve extra)")
    sv.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    sv.add_argument("--port", type=int, default=8080, help="port to bind (default 8080)")
    sv.add_argument("--module", dest="modules", action="append", default=[], metavar="NAME",
                    help="load this installed module at start-up (repeatable)")  # fmt: skip
    sv.add_argument("--regulation", metavar="ID", help="the base regulation")
    sv.add_argument("--set", dest="parameters", action="append", type=_parameter, default=[],
                    metavar="NAME=VALUE", help="fix a parameter for every request")  # fmt: skip
    sv.add_argument("--tokens", metavar="FILE", help="bearer tokens, 'name token' per line")
    sv.add_argument("--audit-log", metavar="FILE", help="append a JSON line per request here")
    sv.add_argument("--max-body", type=_positive(int), default=64 * 1024 * 1024,
                    metavar="BYTES", help="largest request body (default 64 MiB)")  # fmt: skip
    sv.add_argument("--timeout", type=_positive(float), default=60.0, metavar="S",
                    help="time limit of one evaluation (default 60 s)")  # fmt: skip
    sv.add_argument("--max-concurrent", type=_positive(int), default=32, metavar="N",
                    help="evaluations admitted at once; more get 429 (default 32)")  # fmt: skip
    sv.add_argument("--processes", type=int, default=1, metavar="N",
                    help="serve from N processes, each a whole service (default 1)")  # fmt: skip


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _choices(args: argparse.Namespace) -> Choices:
    return Choices(tuple(args.modules), args.regulation, tuple(args.parameters), args.tokens,
                   args.audit_log, args.max_body, args.timeout, args.max_concurrent)  # fmt: skip


def _serving(args: argparse.Namespace) -> None:
    told = _("serving on {address}").format(address=f"http://{args.host}:{args.port}/docs")
    print(told, file=sys.stderr, flush=True)


def _worker_app(settings: Settings) -> Any:
    """A worker process's application: the settings of the first process (forked, so
    the modules and tokens are not loaded again) with an audit writer of its own."""
    from selfbuild_rules.service.app import build_app
    from selfbuild_rules.service.audit import AuditLog

    audit = settings.audit
    if audit is not None:
        audit = AuditLog.open(audit.path)
    return build_app(attrs.evolve(settings, audit=audit))


def _say_error(message: str) -> None:
    print(_("error: {message}").format(message=translated(message)), file=sys.stderr)


def serve(args: argparse.Namespace, _progress: object = None) -> tuple[str, int]:
    """Run the service until SIGTERM or SIGINT; in-flight requests are finished first
    (for at most the time limit plus five seconds), new connections refused."""
    if args.tokens is None and not _loopback(args.host):
        told = _("{host} is not a loopback address: give --tokens").format(host=args.host)
        _say_error(told)
        return "", 2
    try:
        import uvicorn

        from selfbuild_rules.service.app import build_app
        from selfbuild_rules.service.workers import listening, run_workers
    except ImportError as exc:
        _say_error(_("serve needs the serve extra ({name} is missing)").format(name=exc.name))
        return "", 2
    try:
        settings = _choices(args).settings()
    except ServeError as exc:
        _say_error(str(exc))
        return "", 2
    options: dict[str, Any] = dict(
        host=args.host, port=args.port, log_level="warning", access_log=False,
        timeout_graceful_shutdown=int(args.timeout) + 5, lifespan="on",
    )  # fmt: skip
    if args.processes <= 1:
        _serving(args)
        uvicorn.Server(uvicorn.Config(build_app(settings), **options)).run()
        return "", 0
    try:
        listener = listening(args.host, args.port)
    except OSError as exc:
        where = f"{args.host}:{args.port}"
        _say_error(N_("cannot open {source}: {reason}").format(source=where, reason=exc.strerror))
        return "", 2
    if settings.audit is not None:
        settings.audit.close()  # it could be opened: each worker opens it for itself
    _serving(args)
    failed = run_workers(args.processes, listener, functools.partial(_worker_app, settings),
                         options)  # fmt: skip
    if failed is not None:
        _say_error(_("internal error: {exception}").format(exception=failed))
        return "", 3
    return "", 0
