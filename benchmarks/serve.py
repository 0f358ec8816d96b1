"""A bounded load run of ``selfbuild-rules serve`` on loopback: ``POST /v1/evaluate`` of
the bundled example, over many concurrent connections.

    python benchmarks/serve.py                          # 10,000 requests, 16 connections
    python benchmarks/serve.py --requests 2000 --concurrency 8

It starts the service on a free port of 127.0.0.1 (never another address), sends
``--requests`` requests from ``--concurrency`` connections with httpx's async client,
checks each report is the first one's bytes, stops the service, and prints requests/s,
p50/p99 latency, the error count and the service's resident memory before and after,
with the load average (the machine may be shared). It stops after ``--requests`` or
``--max-seconds``, whichever comes first. Figures only: it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "examples" / "tianjin-2018.json"
SRC = HERE.parent / "src"
# The targets of the service issue, on two cores.
MIN_RATE, MAX_P99_MS = 150.0, 50.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_mib(pid: int) -> float:
    """The resident memory of the service and its worker processes, if any."""
    total = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            total += int(line.split()[1]) / 1024
    children = Path(f"/proc/{pid}/task/{pid}/children")
    for child in children.read_text().split() if children.exists() else ():
        total += _rss_mib(int(child))
    return total


def _start(port: int, processes: int) -> subprocess.Popen[bytes]:
    path = os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    command = [sys.executable, "-m", "selfbuild_rules.cli", "serve", "--port", str(port),
               "--max-concurrent", "64", "--processes", str(processes)]  # fmt: skip
    process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the service did not start")


async def _load(url: str, requests: int, concurrency: int, max_seconds: float) -> dict[str, object]:
    body = EXAMPLE.read_bytes()
    latencies: list[float] = []
    errors = 0
    first: bytes | None = None
    todo = iter(range(requests))
    stop_at = time.monotonic() + max_seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors, first
        for _ in todo:
            if time.monotonic() > stop_at:
                return
            started = time.perf_counter()
            try:
                got = await client.post(url, content=body)
            except httpx.HTTPError:
                errors += 1
                continue
            latencies.append(time.perf_counter() - started)
            first = got.content if first is None else first
            if got.status_code != 200 or got.content != first:
                errors += 1

    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        began = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    done = len(latencies)

    def pick(q: float) -> float:
        return latencies[min(done - 1, int(q * done))] * 1000 if done else float("nan")

    return {"done": done, "errors": errors, "elapsed": elapsed, "p50": pick(0.50),
            "p99": pick(0.99), "rate": done / elapsed if elapsed else 0.0}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--processes", type=int, default=0, help="the service's --processes")
    parser.add_argument("--max-seconds", type=float, default=180.0, help="stop after this")
    args = parser.parse_args(argv)
    port = _free_port()
    process = _start(port, args.processes)
    try:
        before = _rss_mib(process.pid)
        url = f"http://127.0.0.1:{port}/v1/evaluate?period=2018&as_of=2019-03-01"
        found = asyncio.run(_load(url, args.requests, args.concurrency, args.max_seconds))
        after = _rss_mib(process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    load = os.getloadavg()
    how = f"{args.processes} processes" if args.processes else "threads"
    print(f"requests      {found['done']:,} over {args.concurrency} connections ({how}) "
          f"in {found['elapsed']:.1f} s")  # fmt: skip
    print(f"evaluations/s {found['rate']:.0f}   (target >= {MIN_RATE:.0f})")
    print(f"latency       p50 {found['p50']:.1f} ms   p99 {found['p99']:.1f} ms   "
          f"(target p99 <= {MAX_P99_MS:.0f} ms)")  # fmt: skip
    print(f"errors        {found['errors']}")
    print(f"service RSS   {before:.0f} MiB before, {after:.0f} MiB after")
    print(f"load average  {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
