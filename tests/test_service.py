"""The HTTP service, as a caller sees it: the real server in a subprocess, spoken to
over loopback with httpx (and once with Node's ``fetch``), every exchange checked
against the service's own OpenAPI document."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

for _needed in ("litestar", "uvicorn", "httpx", "openapi_spec_validator"):
    pytest.importorskip(_needed, reason=f"the service tests need {_needed} (the serve extra)")

import httpx  # noqa: E402
from openapi_spec_validator import validate as validate_spec  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "tianjin-2018.json"
TOKEN = "t0ken-for-the-portal-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
#: Names in the example's facts: none may reach the audit log.
NAMES = [
    *(m["name"] for m in json.loads(EXAMPLE.read_text(encoding="utf-8"))["members"]),
    json.loads(EXAMPLE.read_text(encoding="utf-8"))["team"]["name"],
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A ``selfbuild-rules serve`` process on a free loopback port."""

    def __init__(self, tmp: Path, *extra: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.audit = tmp / "audit.jsonl"
        tokens = tmp / "tokens.txt"
        tokens.write_text(f"# name token\nportal {TOKEN}\n", encoding="utf-8")
        command = [sys.executable, "-m", "selfbuild_rules.cli", "serve", "--port",
                   str(self.port), "--tokens", str(tokens), "--audit-log", str(self.audit),
                   *extra]  # fmt: skip
        self.process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the service did not start")

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        _, err = self.process.communicate(timeout=30)
        return err


@pytest.fixture(scope="module", params=["1", "2"], ids=["one-process", "two-processes"])
def server(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Server]:
    # Every exchange below, with one process and with two (each a whole service).
    running = Server(tmp_path_factory.mktemp("serve"), "--max-body", "4000000", "--processes",
                     request.param)  # fmt: skip
    yield running
    running.stop()


class Spec:
    """The service's OpenAPI document, and a check that an exchange conforms to it."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.paths = [
            (re.compile("^" + re.sub(r"\{[^}]+\}", ".+", p) + "$"), item)
            for p, item in document["paths"].items()
        ]

    def check(self, response: httpx.Response) -> httpx.Response:
        request = response.request
        found = [item for pattern, item in self.paths if pattern.match(request.url.path)]
        assert found, f"{request.url.path} is not in the OpenAPI document"
        operation = found[0][request.method.lower()]
        sent = request.headers.get("content-type")
        if sent is not None and "requestBody" in operation:
            assert sent.split(";")[0] in operation["requestBody"]["content"] or (
                response.status_code == 415
            )
        responses = operation["responses"]
        assert str(response.status_code) in responses, (request.url, response.status_code)
        media = response.headers["content-type"].split(";")[0]
        assert media in responses[str(response.status_code)]["content"], (request.url, media)
        return response


@pytest.fixture(scope="module")
def spec(server: Server) -> Spec:
    document = httpx.get(server.url + "/openapi.json").json()
    return Spec(document)


@pytest.fixture
def client(server: Server, spec: Spec) -> Iterator[httpx.Client]:
    def check(response: httpx.Response) -> None:
        response.read()
        if not response.request.url.path.startswith(("/openapi.json", "/docs")):
            spec.check(response)

    headers = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=60,
                      event_hooks={"response": [check]}) as made:  # fmt: skip
        yield made


def _cli(*args: str) -> bytes:
    command = [sys.executable, "-m", "selfbuild_rules.cli", *args]
    return subprocess.run(command, capture_output=True, check=True).stdout


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    assert "Traceback" not in response.text
    return body


def test_the_openapi_document_validates(spec: Spec) -> None:
    validate_spec(spec.document)
    body = spec.document["paths"]["/v1/evaluate"]["post"]["requestBody"]["content"]
    facts = spec.document["components"]["schemas"]["Facts"]
    assert body["application/json"]["schema"] == {"$ref": "#/components/schemas/Facts"}
    assert facts["title"] == "selfbuild-rules.facts/1"


def test_the_report_is_the_command_lines_bytes(client: httpx.Client) -> None:
    wanted = _cli("evaluate", str(EXAMPLE), "--period", "2018", "--as-of", "2019-03-01",
                  "--format", "json")  # fmt: skip
    response = client.post("/v1/evaluate", params={"period": "2018", "as_of": "2019-03-01"},
                           content=EXAMPLE.read_bytes(),
                           headers={"Content-Type": "application/json"})  # fmt: skip
    assert response.status_code == 200
    assert response.content == wanted


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_json_lines_html_and_markdown(client: httpx.Client, tmp_path: Path) -> None:
    lines = tmp_path / "facts.jsonl"
    _cli("evaluate", str(EXAMPLE), "--period", "2018", "--format", "json")  # warm
    from selfbuild_rules import load_facts
    from selfbuild_rules.facts.loading import dump_facts_lines

    lines.write_text("".join(dump_facts_lines(load_facts(str(EXAMPLE)))), encoding="utf-8")
    params = {"period": "2018", "as_of": "2019-03-01"}
    as_json = client.post("/v1/evaluate", params=params, content=EXAMPLE.read_bytes())
    as_lines = client.post("/v1/evaluate", params=params, content=lines.read_bytes(),
                           headers={"Content-Type": "application/x-ndjson"})  # fmt: skip
    # The same report, but for the digest of what was read: each of its own bytes.
    read_as_lines, read_as_json = as_lines.json(), as_json.json()
    assert read_as_lines["provenance"].pop("facts") == {"of": "bytes", "sha256": _sha(lines)}
    assert read_as_json["provenance"].pop("facts") == {"of": "bytes", "sha256": _sha(EXAMPLE)}
    assert read_as_lines == read_as_json
    for accept, args in (("text/html", ("--format", "html")),
                         ("text/markdown", ("--format", "markdown", "--lang", "zh"))):  # fmt: skip
        query = {**params, "lang": "zh"} if "zh" in args else params
        got = client.post("/v1/evaluate", params=query, content=EXAMPLE.read_bytes(),
                          headers={"Accept": accept})  # fmt: skip
        assert got.headers["content-type"].startswith(accept)
        wanted = _cli("evaluate", str(EXAMPLE), "--period", "2018", "--as-of", "2019-03-01",
                      *args)  # fmt: skip
        assert got.content == wanted


def test_rules_and_parameters_as_on_the_command_line(client: httpx.Client) -> None:
    wanted = _cli("evaluate", str(EXAMPLE), "--period", "2018", "--as-of", "2019-03-01",
                  "--format", "json", "--rule", "3.research-days", "--rule", "6.integrity",
                  "--set", "research.pro_rating=none")  # fmt: skip
    query = [("period", "2018"), ("as_of", "2019-03-01"), ("rules", "3.research-days,6.integrity"),
             ("set", "research.pro_rating=none")]  # fmt: skip
    got = client.post("/v1/evaluate", params=query, content=EXAMPLE.read_bytes())
    assert got.content == wanted


def test_subjects_as_on_the_command_line(client: httpx.Client, spec: Spec) -> None:
    wanted = _cli("evaluate", str(EXAMPLE), "--period", "2018", "--as-of", "2019-03-01",
                  "--format", "json", "--subjects", "m02,team", "--subjects", "m05")  # fmt: skip
    query = [("period", "2018"), ("as_of", "2019-03-01"), ("subjects", "m02,team"),
             ("subjects", "m05")]  # fmt: skip
    got = client.post("/v1/evaluate", params=query, content=EXAMPLE.read_bytes())
    assert got.content == wanted
    assert [m["id"] for m in got.json()["members"]] == ["m02", "m05"]
    named = spec.document["paths"]["/v1/evaluate"]["post"]["parameters"]
    assert "subjects" in {p["name"] for p in named}
    unknown = client.post("/v1/evaluate?period=2018&subjects=m02,m99", content=EXAMPLE.read_bytes())
    assert _problem(unknown, 422)["detail"] == "unknown subject(s): m99"
    _problem(client.post("/v1/evaluate?period=2018&subjects=,", content=EXAMPLE.read_bytes()), 422)


def test_validate_catalog_provision_schema_modules_health(client: httpx.Client) -> None:
    valid = client.post("/v1/validate", content=EXAMPLE.read_bytes())
    assert valid.json()["valid"] is True
    assert valid.content == _cli("validate", str(EXAMPLE), "--format", "json")
    assert client.get("/v1/catalog").content == _cli("catalog", "--format", "json")
    explained = client.get("/v1/provisions/3.research-days")
    assert explained.content == _cli("explain", "3.research-days", "--format", "json")
    from selfbuild_rules.facts.schema import facts_schema

    assert client.get("/v1/schema").json() == facts_schema()
    listing = client.get("/v1/modules").json()
    assert {m["id"] for m in listing["installed"]} >= set() and listing["loaded"] == []
    health = client.get("/v1/health").json()
    assert health["status"] == "ok" and health["regulation"]["id"] == "tianjin-2018"


def test_invalid_facts_are_422_with_the_problems(client: httpx.Client, tmp_path: Path) -> None:
    bad = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    bad["research_trips"][0]["end"] = "2018-02-30"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    cli = subprocess.run([sys.executable, "-m", "selfbuild_rules.cli", "validate", str(path),
                          "--format", "json"], capture_output=True)  # fmt: skip
    for endpoint in ("/v1/validate", "/v1/evaluate?period=2018"):
        body = _problem(client.post(endpoint, content=path.read_bytes()), 422)
        assert body["problems"] == json.loads(cli.stdout)["problems"]


def test_every_error_status_is_problem_details(
    client: httpx.Client, server: Server, spec: Spec
) -> None:
    facts = EXAMPLE.read_bytes()
    _problem(client.post("/v1/evaluate?period=2018", content=b"{"), 400)
    _problem(client.post("/v1/evaluate?period=2018", content=b"x" * 4_000_001), 413)
    _problem(client.post("/v1/evaluate?period=2018", content=facts,
                         headers={"Content-Type": "text/csv"}), 415)  # fmt: skip
    _problem(client.post("/v1/evaluate", content=facts), 422)  # no period
    _problem(client.post("/v1/evaluate?period=2018&as_of=soon", content=facts), 422)
    _problem(client.post("/v1/evaluate?period=2018&rules=9.nothing", content=facts), 422)
    _problem(client.post("/v1/evaluate?period=2018&set=no.such=1", content=facts), 422)
    _problem(client.post("/v1/evaluate?period=2018&modules=example-district", content=facts),
             403)  # fmt: skip
    _problem(client.post("/v1/evaluate?period=2018", content=facts,
                         headers={"Accept": "image/png"}), 406)  # fmt: skip
    _problem(client.get("/v1/provisions/9.nothing"), 404)
    anonymous = spec.check(httpx.post(server.url + "/v1/evaluate?period=2018", content=facts))
    assert _problem(anonymous, 401) and anonymous.headers["www-authenticate"] == "Bearer"
    wrong = {"Authorization": "Bearer not-the-token-at-all-000"}
    _problem(spec.check(httpx.get(server.url + "/v1/catalog", headers=wrong)), 401)
    assert httpx.get(server.url + "/v1/health").status_code == 200  # open to probes


def test_the_audit_log_says_who_and_what_never_a_name(client: httpx.Client,
                                                       server: Server) -> None:  # fmt: skip
    answer = client.post("/v1/evaluate", params={"period": "2018", "as_of": "2019-03-01"},
                         content=EXAMPLE.read_bytes())  # fmt: skip
    time.sleep(1.5)  # written at most a second later
    text = server.audit.read_text(encoding="utf-8")
    assert not any(name in text for name in NAMES)
    lines = [json.loads(line) for line in text.splitlines()]
    mine = [x for x in lines if x["endpoint"] == "POST /v1/evaluate" and x["status"] == 200]
    line = mine[-1]
    assert line["token"] == "portal" and line["client"] == "127.0.0.1"
    assert line["period"] == "2018" and line["as_of"] == "2019-03-01"
    assert line["body_sha256"] == _sha(EXAMPLE)
    # The report's provenance names the same digest: one function makes both.
    assert answer.json()["provenance"]["facts"] == {"of": "bytes", "sha256": _sha(EXAMPLE)}
    assert sum(line["counts"].values()) > 0 and line["duration_ms"] > 0
    assert any(x["status"] == 401 and x["token"] is None for x in lines)


def test_the_docs_page_is_self_contained(server: Server) -> None:
    page = httpx.get(server.url + "/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    links = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", page.text)
    assert links and all(link.startswith("/") and not link.startswith("//") for link in links)
    assert 'fetch("/openapi.json")' in page.text


@pytest.mark.parametrize("processes", ["1", "2"])
def test_a_module_loaded_at_start_up(example_modules: None, tmp_path: Path,
                                     processes: str) -> None:  # fmt: skip
    # Each worker process loads the module again, by name: the same report.
    more = ("--processes", processes)
    running = Server(tmp_path, "--module", "example-district", *more)
    try:
        wanted = _cli("evaluate", str(EXAMPLE), "--period", "2019", "--as-of", "2020-03-01",
                      "--module", "example-district", "--format", "json")  # fmt: skip
        got = httpx.post(running.url + "/v1/evaluate",
                         params={"period": "2019", "as_of": "2020-03-01"},
                         content=EXAMPLE.read_bytes(),
                         headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
        assert got.content == wanted
        unknown = httpx.post(running.url + "/v1/evaluate?period=2019&rules=9.nothing",
                             content=EXAMPLE.read_bytes(),
                             headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
        assert "9.nothing" in _problem(unknown, 422)["detail"]
        some = _cli(
            "evaluate",
            str(EXAMPLE),
            "--period",
            "2019",
            "--as-of",
            "2020-03-01",
            "--module",
            "example-district",
            "--format",
            "json",
            "--subjects",
            "m03",
        )
        got = httpx.post(running.url + "/v1/evaluate",
                         params={"period": "2019", "as_of": "2020-03-01", "subjects": "m03"},
                         content=EXAMPLE.read_bytes(),
                         headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
        assert got.content == some
        own = httpx.get(running.url + "/v1/provisions/example-district/4.quarterly-visit",
                        headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
        assert own.json()["id"] == "example-district/4.quarterly-visit"
        loaded = httpx.get(running.url + "/v1/health").json()["modules"]
        assert [m["id"] for m in loaded] == ["example-district"]
        assert loaded[0]["distribution"]
    finally:
        running.stop()


@pytest.mark.parametrize("processes", ["1", "2"])
def test_without_tokens_only_loopback(processes: str) -> None:
    done = subprocess.run([sys.executable, "-m", "selfbuild_rules.cli", "serve", "--host",
                           "0.0.0.0", "--port", "1", "--processes", processes],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "--tokens" in done.stderr


def test_a_bad_start_up_is_one_line_before_any_worker_starts(tmp_path: Path) -> None:
    taken = socket.create_server(("127.0.0.1", 0))
    port = str(_free_port())
    for bad in (("--module", "no-such-module"), ("--tokens", str(tmp_path / "missing.txt")),
                ("--audit-log", str(tmp_path / "no" / "such" / "dir.jsonl")),
                ("--port", str(taken.getsockname()[1]))):  # fmt: skip
        done = subprocess.run([sys.executable, "-m", "selfbuild_rules.cli", "serve", "--port",
                               port, "--processes", "2", *bad], capture_output=True,
                              text=True, timeout=60)  # fmt: skip
        assert done.returncode == 2, done.stderr
        assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: "), done.stderr
    taken.close()


def _large_facts() -> bytes:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.pop(0)
    return json.dumps(generate(9000, 1, 1), ensure_ascii=False).encode("utf-8")  # 50 MB


class LongRequest(threading.Thread):
    """A caller whose evaluation takes seconds (about 3 s of CPU on a quiet core)."""

    def __init__(self, running: Server) -> None:
        super().__init__()
        self.url, self.outcome = running.url, dict[str, Any]()
        self.body = _large_facts()
        self.start()
        time.sleep(0.5)  # the facts are sent, the evaluation under way

    def run(self) -> None:
        got = httpx.post(self.url + "/v1/evaluate?period=2018&as_of=2019-03-01",
                         content=self.body, headers=AUTH, timeout=120)  # fmt: skip
        self.outcome.update(status=got.status_code, format=got.json().get("format"))


def _drains(running: Server, caller: LongRequest) -> None:
    """SIGTERM: new connections refused at once, the request in flight answered."""
    assert not caller.outcome, "the evaluation ended before the checks; make the facts larger"
    running.process.send_signal(signal.SIGTERM)
    deadline, refused = time.monotonic() + 5, False
    while not refused and time.monotonic() < deadline:
        try:
            httpx.get(running.url + "/v1/health", timeout=2)
            time.sleep(0.1)
        except httpx.TransportError:
            refused = True
    caller.join(120)
    running.stop()
    assert refused, "new connections were still accepted 5 s after SIGTERM"
    assert caller.outcome == {"status": 200, "format": "selfbuild-rules.report/2"}
    # Drained, then ended as the command line ends on SIGTERM (143; uvicorn re-raises it,
    # and with --processes the supervisor too, once its workers have ended).
    assert running.process.returncode in (143, -signal.SIGTERM)
    assert '"status":200' in running.audit.read_text(encoding="utf-8")  # flushed at exit


def test_health_answers_during_an_evaluation_and_sigterm_drains_it(tmp_path: Path) -> None:
    running = Server(tmp_path, "--max-concurrent", "1")
    caller = LongRequest(running)
    try:
        for _ in range(2):
            assert httpx.get(running.url + "/v1/health", timeout=10).status_code == 200
        busy, deadline = None, time.monotonic() + 10  # until the long one is admitted
        while (busy is None or busy.status_code == 200) and time.monotonic() < deadline:
            busy = httpx.post(running.url + "/v1/evaluate?period=2018",
                              content=EXAMPLE.read_bytes(), headers=AUTH, timeout=10)  # fmt: skip
        assert busy is not None and _problem(busy, 429) and busy.headers["retry-after"] == "1"
    finally:
        _drains(running, caller)


def _workers(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def test_processes_share_callers_and_the_audit_log_and_drain_on_sigterm(tmp_path: Path) -> None:
    running = Server(tmp_path, "--processes", "2")
    workers = _workers(running.process.pid)
    assert len(workers) == 2
    busy_before = [_cpu_ticks(w) for w in workers]
    url = running.url + "/v1/evaluate?period=2018&as_of=2019-03-01"

    def call(_: int) -> httpx.Response:  # each on a connection of its own
        return httpx.post(url, content=EXAMPLE.read_bytes(), headers=AUTH, timeout=60)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(call, range(40)))
    assert {a.status_code for a in answers} == {200}
    assert len({a.content for a in answers}) == 1  # the same report from either process
    # Both processes evaluated: the kernel shares connections out between them.
    assert all(_cpu_ticks(w) > b for w, b in zip(workers, busy_before, strict=True))
    time.sleep(1.5)  # every audit line on disk (synced every second), then a worker dies:
    os.kill(workers[0], signal.SIGKILL)  # it is replaced
    deadline = time.monotonic() + 30
    again = _workers(running.process.pid)
    while time.monotonic() < deadline and (len(again) < 2 or workers[0] in again):
        time.sleep(0.2)
        again = _workers(running.process.pid)
    assert len(again) == 2 and workers[1] in again and workers[0] not in again
    assert all(call(n).status_code == 200 for n in range(4))  # both take their turn
    try:
        _drains(running, LongRequest(running))
    finally:
        running.stop()
    lines = [json.loads(x) for x in running.audit.read_text(encoding="utf-8").splitlines()]
    answered = [x for x in lines if x["endpoint"] == "POST /v1/evaluate" and x["status"] == 200]
    assert len(answered) == 40 + 4 + 1 and all(x["token"] == "portal" for x in answered)


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return int(fields[11]) + int(fields[12])


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_a_node_client_with_fetch(server: Server, tmp_path: Path) -> None:
    script = tmp_path / "client.mjs"
    script.write_text(
        """
const [base, token, file] = process.argv.slice(2);
const fs = await import("node:fs");
const doc = await (await fetch(base + "/openapi.json")).json();
const path = Object.keys(doc.paths)
  .find(p => doc.paths[p].post?.requestBody && p.endsWith("evaluate"));
const health = Object.keys(doc.paths).find(p => p.endsWith("health"));
const live = await (await fetch(base + health)).json();
const got = await fetch(base + path + "?period=2018&as_of=2019-03-01", {
  method: "POST", body: fs.readFileSync(file),
  headers: {"Content-Type": "application/json", "Authorization": "Bearer " + token}});
const report = await got.json();
console.log(JSON.stringify({status: got.status, format: report.format, base: live.regulation.id}));
""",
        encoding="utf-8",
    )
    done = subprocess.run(["node", str(script), server.url, TOKEN, str(EXAMPLE)],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout)
    assert said == {"status": 200, "format": "selfbuild-rules.report/2", "base": "tianjin-2018"}


def test_internal_errors_and_time_limits_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    # What a real server cannot be made to do on purpose: fail inside, or run too long.
    from litestar.testing import TestClient

    from selfbuild_rules.service import work
    from selfbuild_rules.service.app import Settings, build_app

    def broken(*_args: object) -> object:
        raise RuntimeError("secret detail of a bug")

    def slow(*_args: object) -> object:
        time.sleep(0.5)
        raise RuntimeError("too late to matter")

    app = build_app(Settings(work.Service.start(), timeout=0.1))
    with TestClient(app) as local:
        monkeypatch.setattr(work, "validate", broken)
        failed = local.post("/v1/validate", content=EXAMPLE.read_bytes())
        assert failed.status_code == 500 and "secret" not in failed.text
        assert failed.json()["title"] == "Internal Server Error"
        monkeypatch.setattr(work, "validate", slow)
        late = local.post("/v1/validate", content=EXAMPLE.read_bytes())
        assert late.status_code == 503 and late.headers["retry-after"] == "5"
