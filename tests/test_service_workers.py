"""``serve --processes N``'s first process, in this one: a worker that cannot start
stops the service (it would fail again at every restart) instead of being restarted
for ever, and the process's own signal handlers are left as they were."""

from __future__ import annotations

import signal
import sys

import pytest

pytest.importorskip("uvicorn", reason="the service tests need uvicorn (the serve extra)")

from selfbuild_rules.service.workers import listening, run_workers


def _broken() -> object:
    raise RuntimeError("this application cannot be made")


@pytest.mark.skipif(sys.platform == "win32", reason="workers are forked")
def test_a_worker_that_cannot_start_stops_the_service() -> None:
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    with listening("127.0.0.1", 0) as sock:
        said = run_workers(2, sock, _broken, {})
        assert sock.fileno() == -1  # closed: new connections refused
    assert said == "a worker process ended with status 1"
    assert {sig: signal.getsignal(sig) for sig in handlers} == handlers
