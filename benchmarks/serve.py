"""A bounded load run of ``selfbuild-rules serve`` on loopback: ``POST /v1/evaluate`` of
the bundled example, over many concurrent connections.

    python benchmarks/serve.py                          # 10,000 requests, 16 connections
    python benchmarks/serve.py --requests 10000 --processes 2      # two worker processes
    python benchmarks/serve.py --client httpx           # the Python client, even with wrk

It starts the service on a free port of 127.0.0.1 (never another address) and sends
``--requests`` requests from ``--concurrency`` connections, checking each report is
the first one's bytes. The client is ``wrk`` (Debian package ``wrk``) when installed:
a load client in C takes little of the CPU the service is measured on, where a Python
one on the same cores takes about as much as the service. Without it, httpx's async
client does the same run. It prints the client used, requests/s, p50/p99 latency, the
error count, the service's resident memory before and after (summed over its
processes, and as PSS: pages that forked workers share counted once), and the
service's own CPU time per request (its processes' user + system time over the run,
divided by the requests): a figure that, unlike requests/s, does not depend on what else the machine
is doing, and from which the rate on idle cores follows. It stops after
``--requests`` or ``--max-seconds``, whichever comes first. Figures only: it asserts
nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "examples" / "tianjin-2018.json"
SRC = HERE.parent / "src"
# The targets of the service issue, on two cores.
MIN_RATE, MAX_P99_MS = 150.0, 50.0
TICKS = os.sysconf("SC_CLK_TCK")

# wrk's script: POST the example; say "different" for a 200 answer that is not the first
# one's bytes (wrk counts the others) and "answered" every hundred answers, so that this
# script can stop wrk (SIGINT) after the requests asked for; then print the figures.
_WRK_SCRIPT = """
local f = assert(io.open(os.getenv("SERVE_BODY"), "rb"))
wrk.method, wrk.body = "POST", f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
local answered, first = 0, nil
function response(status, headers, body)
  first = first or body
  if status == 200 and body ~= first then io.write("different\\n") end
  answered = answered + 1
  if answered % 100 == 0 then io.write("answered\\n"); io.flush() end
end
function done(summary, latency, requests)
  local failed = summary.errors
  io.write(string.format("figures %d %d %.6f %.3f %.3f\\n", summary.requests,
    failed.connect + failed.read + failed.write + failed.status + failed.timeout,
    summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(99) / 1e3))
end
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tree(pid: int) -> list[int]:
    """The service's process and its worker processes, if any."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = [pid]
    for child in children.read_text().split() if children.exists() else ():
        found += _tree(int(child))
    return found


def _memory_mib(pid: int) -> tuple[float, float]:
    """The resident memory of the service's processes: summed (RSS) and with the pages
    they share counted once (PSS; forked workers share what the first process loaded)."""
    totals = {"Rss:": 0.0, "Pss:": 0.0}
    for each in _tree(pid):
        for line in Path(f"/proc/{each}/smaps_rollup").read_text().splitlines():
            name, _, rest = line.partition(" ")
            if name in totals:
                totals[name] += int(rest.split()[0]) / 1024
    return totals["Rss:"], totals["Pss:"]


def _cpu_seconds(pid: int) -> tuple[float, float]:
    """User and system CPU time the service's processes have used so far."""
    user = system = 0
    for each in _tree(pid):
        fields = Path(f"/proc/{each}/stat").read_text().rpartition(")")[2].split()
        user, system = user + int(fields[11]), system + int(fields[12])  # fields 14, 15
    return user / TICKS, system / TICKS


def _child_cpu() -> float:
    """User + system CPU time of this process's ended children (wrk, once it ends)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


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


def _warm(url: str, processes: int) -> None:
    """A few requests first, each on a connection of its own (connections, not requests,
    are dealt out to the processes), so that every process is warm."""
    body = EXAMPLE.read_bytes()
    for _ in range(8 * max(1, processes)):
        httpx.post(url, content=body, timeout=60)


def _wrk(url: str, requests: int, concurrency: int, max_seconds: float) -> dict[str, float]:
    """The run with wrk: one thread, ``concurrency`` connections, stopped once
    ``requests`` are answered (to the hundred) or after ``max_seconds``."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_WRK_SCRIPT)
    env = {**os.environ, "SERVE_BODY": str(EXAMPLE)}
    command = ["wrk", "-t1", f"-c{concurrency}", f"-d{max_seconds:.0f}s", "--timeout", "30s",
               "-s", script.name, url]  # fmt: skip
    lines: list[str] = []
    try:
        with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) as wrk:
            assert wrk.stdout is not None
            for line in wrk.stdout:
                lines.append(line)
                if line == "answered\n" and lines.count(line) * 100 >= requests:
                    wrk.send_signal(signal.SIGINT)  # wrk then prints its figures
    finally:
        os.unlink(script.name)
    figures = next(x for x in lines if x.startswith("figures "))
    done, errors, elapsed, p50, p99 = (float(x) for x in figures.split()[1:])
    errors += lines.count("different\n")
    return {"done": done, "errors": errors, "elapsed": elapsed, "p50": p50, "p99": p99,
            "rate": done / elapsed if elapsed else 0.0}  # fmt: skip


async def _httpx(url: str, requests: int, concurrency: int, max_seconds: float) -> dict[str, float]:
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
    parser.add_argument("--processes", type=int, default=1, help="the service's --processes")
    parser.add_argument("--max-seconds", type=float, default=180.0, help="stop after this")
    parser.add_argument("--client", choices=("auto", "wrk", "httpx"), default="auto",
                        help="the load client (auto: wrk if installed, else httpx)")  # fmt: skip
    args = parser.parse_args(argv)
    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "httpx"
    port = _free_port()
    process = _start(port, args.processes)
    try:
        url = f"http://127.0.0.1:{port}/v1/evaluate?period=2018&as_of=2019-03-01"
        _warm(url, args.processes)
        before, cpu = _memory_mib(process.pid), _cpu_seconds(process.pid)
        if client == "wrk":
            used = _child_cpu()
            found = _wrk(url, args.requests, args.concurrency, args.max_seconds)
            used = _child_cpu() - used
        else:
            used = time.process_time()
            found = asyncio.run(_httpx(url, args.requests, args.concurrency, args.max_seconds))
            used = time.process_time() - used
        user, system = (b - a for a, b in zip(cpu, _cpu_seconds(process.pid), strict=True))
        after = _memory_mib(process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    load = os.getloadavg()
    how = f"{args.processes} processes" if args.processes > 1 else "one process"
    done = found["done"] or float("nan")
    per, per_system = (user + system) / done * 1000, system / done * 1000
    theirs = used / found["done"] * 1000 if found["done"] else float("nan")
    cores = os.cpu_count() or 1
    # What the CPU times allow on idle cores: threads evaluate on one core at a time;
    # processes can use them all, the client's share left out.
    idle = 1000 / per if args.processes <= 1 else cores * 1000 / (per + theirs)
    print(f"client        {client}")
    print(f"requests      {found['done']:,.0f} over {args.concurrency} connections ({how}) "
          f"in {found['elapsed']:.1f} s")  # fmt: skip
    print(f"evaluations/s {found['rate']:.0f}   (target >= {MIN_RATE:.0f})")
    print(f"latency       p50 {found['p50']:.1f} ms   p99 {found['p99']:.1f} ms   "
          f"(target p99 <= {MAX_P99_MS:.0f} ms)")  # fmt: skip
    print(f"errors        {found['errors']:.0f}")
    where = f"{cores} idle cores" if args.processes > 1 else "one idle core (one process)"
    print(f"CPU           service {per:.2f} ms a request ({per_system:.2f} ms of it in the "
          f"kernel), client {theirs:.2f} ms: at most {idle:.0f}/s on {where}")  # fmt: skip
    print(f"service RSS   {before[0]:.0f} MiB before, {after[0]:.0f} MiB after "
          f"(PSS {before[1]:.0f} -> {after[1]:.0f} MiB)")  # fmt: skip
    print(f"load average  {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
