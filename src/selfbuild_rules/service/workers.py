"""``serve --processes N``: N whole services side by side, one listening socket, and
the connections dealt out to them in turn.

Each worker process is forked from the first once it has loaded the modules and
read the tokens (shared, not loaded again) and runs a whole service: its own event
loop, evaluation threads and audit writer; nothing is handed between processes but
connections. The first process keeps the listening socket and accepts: each new
connection goes to the next worker in turn over a Unix socket (``SCM_RIGHTS``), so
16 connections make 8 and 8. Letting every worker accept from the shared socket
would cost nothing, but the kernel and asyncio hand a burst of connections to
whichever worker wakes first — measured: all 16 of a load client's connections in
one process, the other idle. (Node's ``cluster`` deals connections out in turn for
the same reason.)

The first process replaces a worker that is killed (a crash, the out-of-memory
killer); one that exits could not start, and would not next time either, so the
service stops (the command says why, status 3). On SIGTERM or SIGINT it closes the
listening socket (new connections are refused at once), tells each worker to drain
(uvicorn finishes the requests in flight), waits for them, and ends by the signal.

>>> with listening("127.0.0.1", 0) as sock:  # what run_workers is given
...     sock.getsockname()[0]
'127.0.0.1'
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import selectors
import signal
import socket
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import uvicorn

__all__ = ["listening", "run_workers"]

_POLL = 0.5  # seconds between two looks for a worker that died


def listening(host: str, port: int) -> socket.socket:
    """The listening socket on ``host``:``port`` (``OSError`` when it cannot be had)."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    return socket.create_server((host, port), family=family, backlog=2048)


def _server_class() -> Callable[[uvicorn.Config, socket.socket], uvicorn.Server]:
    import uvicorn

    class Worker(uvicorn.Server):
        """A uvicorn server with no listening socket of its own: it serves the
        connections the first process sends it over ``channel``."""

        def __init__(self, config: uvicorn.Config, channel: socket.socket) -> None:
            super().__init__(config)
            self.channel = channel
            self.opening: set[asyncio.Task[Any]] = set()

        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=[])  # the application's start-up; no listener
            loop = asyncio.get_running_loop()
            made: Any = self.config.http_protocol_class  # as uvicorn's own startup makes them
            protocol = functools.partial(
                made, config=self.config, server_state=self.server_state,
                app_state=self.lifespan.state,
            )  # fmt: skip
            loop.add_reader(self.channel.fileno(), self._take, loop, protocol)

        def _take(self, loop: asyncio.AbstractEventLoop, protocol: Any) -> None:
            while True:
                try:
                    data, fds, _flags, _address = socket.recv_fds(self.channel, 1, 16)
                except BlockingIOError:
                    return
                if not data:  # the first process has gone: stop as on SIGTERM
                    loop.remove_reader(self.channel.fileno())
                    self.should_exit = True
                    return
                for fd in fds:
                    task = loop.create_task(
                        loop.connect_accepted_socket(protocol, socket.socket(fileno=fd))
                    )
                    self.opening.add(task)
                    task.add_done_callback(self.opening.discard)

        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            asyncio.get_running_loop().remove_reader(self.channel.fileno())
            self.channel.close()
            await super().shutdown(sockets=[])

    return Worker


def _work(make_app: Callable[[], Any], options: dict[str, Any], channel: socket.socket) -> None:
    """A worker process's life (after the fork): build the application, serve."""
    import uvicorn

    channel.setblocking(False)
    _server_class()(uvicorn.Config(make_app(), **options), channel).run()


class _Supervisor:
    """The first process: accepts, deals connections out, restarts, stops."""

    def __init__(self, listener: socket.socket, start: Callable[[socket.socket], None]) -> None:
        self.listener, self.start = listener, start
        self.workers: dict[int, socket.socket] = {}  # pid: the channel to it
        self.turn = 0
        self.stopped_by: int | None = None
        self.failed: str | None = None  # why the service stopped by itself

    def spawn(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = os.fork()
        if pid == 0:  # the worker
            code = 1
            try:
                signal.set_wakeup_fd(-1)
                for sig in (signal.SIGTERM, signal.SIGINT):
                    signal.signal(sig, signal.SIG_DFL)
                self.listener.close()
                ours.close()
                for channel in self.workers.values():
                    channel.close()
                self.start(theirs)
                code = 0
            finally:
                os._exit(code)  # never back into the first process's loop
        theirs.close()
        self.workers[pid] = ours

    def deal(self) -> None:
        """Hand the next connection to the next worker (another if that one is gone)."""
        try:
            connection, _address = self.listener.accept()
        except OSError:  # none waiting after all, or out of descriptors: the next one
            return
        with connection:
            for _ in range(len(self.workers)):
                pids = list(self.workers)
                pid = pids[self.turn % len(pids)]
                self.turn += 1
                try:
                    socket.send_fds(self.workers[pid], [b"c"], [connection.fileno()])
                    return
                except OSError:
                    continue

    def reap(self, restart: bool) -> None:
        """Forget workers that ended. One killed (a crash, the OOM killer) is replaced
        if ``restart``; one that exited could not serve (its start-up failed) and
        would fail again: the service stops."""
        for pid in list(self.workers):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                self.workers.pop(pid).close()
                if not os.WIFSIGNALED(status):
                    code = os.waitstatus_to_exitcode(status)
                    self.failed = f"a worker process ended with status {code}"
                elif restart:
                    self.spawn()

    def stop(self, sig: int, _frame: object = None) -> None:
        self.stopped_by = sig

    def run(self, count: int) -> None:
        for _ in range(count):
            self.spawn()
        with self._signals() as wake, selectors.DefaultSelector() as watch:
            self.listener.setblocking(False)
            watch.register(self.listener, selectors.EVENT_READ)
            watch.register(wake, selectors.EVENT_READ)
            while self.stopped_by is None and self.failed is None:
                for key, _events in watch.select(_POLL):
                    if key.fileobj is self.listener:
                        self.deal()
                    else:
                        wake.recv(64)
                self.reap(restart=self.stopped_by is None)
            self.listener.close()  # new connections refused from now on
            for pid in self.workers:
                os.kill(pid, signal.SIGTERM)
            for pid, channel in self.workers.items():
                os.waitpid(pid, 0)
                channel.close()

    @contextlib.contextmanager
    def _signals(self) -> Iterator[socket.socket]:
        """SIGTERM and SIGINT noted (and waking the loop) inside; as they were after."""
        wake, woken = socket.socketpair()
        woken.setblocking(False)
        before = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        old = signal.set_wakeup_fd(woken.fileno())
        try:
            yield wake
        finally:
            signal.set_wakeup_fd(old)
            for sig, handler in before.items():
                signal.signal(sig, handler)
            wake.close()
            woken.close()


def run_workers(
    count: int, listener: socket.socket, make_app: Callable[[], Any], options: dict[str, Any]
) -> str | None:
    """Serve from ``count`` worker processes until SIGTERM or SIGINT; then end by that
    signal, as one process does (uvicorn raises it again once drained). Returns why
    the service stopped by itself otherwise (a worker that could not start).

    ``make_app`` runs in each worker after the fork; ``options`` are uvicorn's.
    """
    supervisor = _Supervisor(listener, functools.partial(_work, make_app, options))
    supervisor.run(count)
    if supervisor.stopped_by is not None:
        signal.signal(supervisor.stopped_by, signal.SIG_DFL)
        signal.raise_signal(supervisor.stopped_by)
    return supervisor.failed
