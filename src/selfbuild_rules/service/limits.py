"""Limits on the work one service does: bounded evaluations, each off the event loop.

Evaluations run in a thread pool by default, or in ``--processes N`` worker processes.
The engine is CPU-bound Python, so threads share one core's worth of the interpreter;
but the bundled example takes about 6 ms of CPU, and handing its facts and report to
another process adds a copy of each and a wake-up, on a machine whose cores the
event loop and the callers want too. So threads are the default: the lower latency
for a single caller and no start-up cost, while processes are for a machine with
cores to spare and many callers at once (measured in ``docs/service.rst``). Either
way the event loop stays free: ``/v1/health`` answers while an evaluation runs,
because the interpreter switches threads every few milliseconds.

At most ``max_concurrent`` evaluations are admitted (running, or waiting for a
thread); one more is refused at once with 429 and ``Retry-After`` rather than queued
without bound. A request over its time limit is answered with 503, but its thread
cannot be interrupted: it keeps its place among the admitted until it ends, so the
bound holds.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import TypeVar

import attrs

from selfbuild_rules.service.problems import ServiceError

__all__ = ["Gate", "processes", "read_body"]

T = TypeVar("T")


def _threads() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def processes(count: int, start: Callable[..., None], *args: object) -> Executor:
    """A pool of ``count`` worker processes, each running ``start(*args)`` first.

    Spawned, not forked: the service has threads (the audit log's, uvicorn's) that a
    fork would copy mid-step.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(count, mp_context=context, initializer=start, initargs=args)


@attrs.define
class Gate:
    """Admits at most ``max_concurrent`` evaluations and runs them in threads."""

    max_concurrent: int
    timeout: float
    pool: Executor = attrs.field(
        factory=lambda: ThreadPoolExecutor(_threads(), thread_name_prefix="evaluate")
    )
    active: int = 0

    async def run(self, work: Callable[[], T]) -> T:
        """``work()`` in a thread within the time limit; 429 when too many are admitted."""
        if self.active >= self.max_concurrent:
            raise ServiceError(
                429, f"more than {self.max_concurrent} evaluations at once; try again",
                headers={"Retry-After": "1"},
            )  # fmt: skip
        self.active += 1
        future = asyncio.get_running_loop().run_in_executor(self.pool, work)
        future.add_done_callback(self._release)  # when the thread ends, not at the limit
        try:
            return await asyncio.wait_for(asyncio.shield(future), self.timeout)
        except asyncio.TimeoutError:
            raise ServiceError(
                503, f"the evaluation took longer than {self.timeout:g} s",
                headers={"Retry-After": "5"},
            ) from None  # fmt: skip

    def _release(self, _future: object) -> None:
        self.active -= 1

    def close(self) -> None:
        """Wait for running evaluations and stop the threads (on shutdown)."""
        self.pool.shutdown(wait=True, cancel_futures=True)


async def read_body(chunks: AsyncIterator[bytes], declared: str | None, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it is known to exceed ``limit``."""
    too_large = ServiceError(413, f"the body is larger than {limit:,} bytes")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large
    parts: list[bytes] = []
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise too_large
        parts.append(chunk)
    return b"".join(parts)
