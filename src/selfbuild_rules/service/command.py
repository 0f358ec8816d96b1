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
import ipaddress
import sys
from typing import Any

from selfbuild_rules.internal.i18n import N_, _, translated
from selfbuild_rules.service.work import parameter

__all__ = ["add_parser", "serve"]


class ServeError(Exception):
    """The service cannot start: one line for the command line to print (exit 2)."""


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
    sv.add_argument("--processes", type=int, default=0, metavar="N",
                    help="evaluate in N processes, not threads (default 0)")  # fmt: skip


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _settings(args: argparse.Namespace) -> Any:
    from selfbuild_rules.service.app import Settings
    from selfbuild_rules.service.audit import AuditLog
    from selfbuild_rules.service.auth import Tokens
    from selfbuild_rules.service.work import Service

    try:
        tokens = None if args.tokens is None else Tokens.read(args.tokens)
        service = Service.start(args.modules, args.regulation, dict(args.parameters))
    except ValueError as exc:  # a bad token file, module or parameter (ModuleError too)
        raise ServeError(str(exc)) from None
    try:
        audit = None if args.audit_log is None else AuditLog.open(args.audit_log)
    except OSError as exc:
        raise ServeError(
            N_("cannot open {source}: {reason}").format(
                source=args.audit_log, reason=exc.strerror or exc
            )
        ) from None
    named = (tuple(args.modules), args.regulation)
    return Settings(service, tokens, audit, args.max_body, args.timeout, args.max_concurrent,
                    max(0, args.processes), named)  # fmt: skip


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
    except ImportError as exc:
        _say_error(_("serve needs the serve extra ({name} is missing)").format(name=exc.name))
        return "", 2
    try:
        settings = _settings(args)
    except ServeError as exc:
        _say_error(str(exc))
        return "", 2
    config = uvicorn.Config(
        build_app(settings), host=args.host, port=args.port, log_level="warning",
        access_log=False, timeout_graceful_shutdown=int(args.timeout) + 5, lifespan="on",
    )  # fmt: skip
    told = _("serving on {address}").format(address=f"http://{args.host}:{args.port}/docs")
    print(told, file=sys.stderr, flush=True)
    uvicorn.Server(config).run()
    return "", 0
