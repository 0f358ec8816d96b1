"""Limits on the work one service process does: bounded evaluations, each off the
event loop.

Evaluations run in a small thread pool. The engine is CPU-bound Python, so one
process's threads share one core's worth of the interpreter; ``--processes N`` runs N
whole services side by side, one per core (see
:mod:`~selfbuild_rules.service.workers`). Either way the event loop stays free:
``/v1/health`` answers while an evaluation runs, because the interpreter switches
threads every few milliseconds.

At most ``max_concurrent`` evaluations are admitted by a process (running, or waiting
for a thread); one more is refused at once with 429 and ``Retry-After`` rather than
queued without bound. A request over its time limit is answered with 503, but its
thread cannot be interrupted: it keeps its place among the admitted until it ends, so
the bound holds.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import TypeVar

import attrs

from selfbuild_rules.service.problems import ServiceError

__all__ = ["Gate", "read_body"]

T = TypeVar("T")


def _threads() -> int:
    # With --processes 2 and 16 connections, 1, 2 and 3 threads a process measured alike
    # (603-638 req/s, p99 40-58 ms, in turns); 2 lets a short evaluation pass a long one.
    return max(1, min(4, os.cpu_count() or 1))


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
