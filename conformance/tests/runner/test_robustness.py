"""The runner cannot crash or leak: key origin, guarded checks, redaction before serialisation,
transport errors in messages, content codings."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from fluxq_conformance.checks.lifecycle import guarded
from fluxq_conformance.core.exchange import KEY_PLACEHOLDER, Exchange, Redactor
from fluxq_conformance.core.results import CheckResult, Outcome, RunReport
from fluxq_conformance.core.session import AuthScheme, ProviderSession, TaskBudget
from fluxq_conformance.core.trace import TaskTrace, retry_after_seconds, same_origin_and_base
from fluxq_conformance.report.files import write_html, write_json, write_junit
from fluxq_conformance.run.driver import Pacing
from fluxq_conformance.run.runner import RunSettings, run_conformance
from fluxq_conformance.run.targets import Target, reference_config
from fluxq_reference import DEMO_API_KEY, create_app

BASE = "http://127.0.0.1:9/model"


def _session(handler: Any) -> tuple[ProviderSession, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)  # type: ignore[no-any-return]

    client = httpx.Client(transport=httpx.MockTransport(record))
    return ProviderSession(BASE, "sk-long-enough-key", AuthScheme.BEARER, client, TaskBudget(None)), seen


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.2:9/model/v1/queue/flux_pro_11/requests/x/status",  # another host
        "http://127.0.0.1:10/model/v1/queue/flux_pro_11/requests/x/status",  # another port
        "https://127.0.0.1:9/model/v1/queue/flux_pro_11/requests/x/status",  # another scheme
        "http://127.0.0.1:9/other/v1/queue/flux_pro_11/requests/x/status",  # outside the base path
    ],
)
def test_the_key_never_leaves_the_base_url(url: str) -> None:
    session, seen = _session(lambda _request: httpx.Response(200, json={}))
    exchange = session.send("GET", url)
    assert seen == []
    assert exchange.status_code is None
    assert "outside the base URL" in (exchange.error or "")
    # Without credentials (output files) a foreign URL is fine.
    session.fetch_anonymous(url)
    assert len(seen) == 1
    assert "authorization" not in seen[0].headers


def test_same_origin_and_base() -> None:
    assert same_origin_and_base(f"{BASE}/v1/queue/flux_pro_11", BASE)
    assert not same_origin_and_base("http://127.0.0.1:9/modelx/v1", BASE)
    assert not same_origin_and_base("http://user@[::1", BASE)  # unparseable: refused, no exception


def test_transient_answers_are_waited_out_and_kept_apart() -> None:
    answers = iter([429, 503, 200])

    def handler(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(next(answers), headers={"retry-after": "2"}, json={"status": "IN_QUEUE"})

    session, seen = _session(handler)
    slept: list[float] = []
    session.clock = type(session.clock)(now=lambda: 0.0, sleep=slept.append)
    exchange = session.send("GET", f"{BASE}/v1/queue/flux_pro_11/requests/x/status")
    assert exchange.status_code == 200
    assert [e.status_code for e in session.transient] == [429, 503]
    assert slept == [2.0, 2.0]
    assert len(seen) == 3


def test_a_submit_is_never_repeated_after_a_429() -> None:
    session, seen = _session(lambda _request: httpx.Response(429, json={"detail": "slow down"}))
    exchange = session.submit(f"{BASE}/v1/queue/flux_pro_11", {"prompt": "a"})
    assert exchange.status_code == 429
    assert len(seen) == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [("3", 3.0), ("0", 0.0), (None, None), ("soon", None), ("-1", None), ("1.5", None)],
)
def test_retry_after_values(value: str | None, expected: float | None) -> None:
    assert retry_after_seconds(value) == expected


def test_retry_after_http_dates() -> None:
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past


def test_gzip_bodies_are_judged_without_decoding_twice() -> None:
    body = json.dumps({"status": "IN_QUEUE", "request_id": "mmsu_1", "queue_position": 0}).encode()
    exchange = Exchange(
        "GET",
        f"{BASE}/v1/queue/flux_pro_11/requests/mmsu_1/status",
        {},
        None,
        200,
        {"content-type": "application/json", "content-encoding": "gzip", "content-length": "12"},
        body,  # already decoded, as httpx hands it over
    )
    assert exchange.to_httpx().json()["status"] == "IN_QUEUE"
    assert gzip.compress(body) != body  # the test is about decoded content, not an accident


def test_a_judge_that_raises_becomes_an_error_verdict() -> None:
    submit = Exchange("POST", f"{BASE}/v1/queue/flux_pro_11", {}, None, 200, {}, b"{}")
    trace = TaskTrace("flux_pro_11", "success", {}, submit)

    def broken(_trace: TaskTrace) -> Any:
        raise KeyError("surprise")

    verdict = guarded(broken, trace)
    assert verdict.outcome is Outcome.ERROR
    assert "KeyError" in verdict.message


def test_an_internal_error_still_writes_the_report_and_exits_2(tmp_path: Path) -> None:
    """A section that crashes (here: the output download raises a non-HTTP error) becomes an error
    result; the other sections still report, and the run exits 2."""

    class Exploding(httpx.HTTPTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if "/files/" in request.url.path:
                raise RuntimeError("a bug in the suite")
            return super().handle_request(request)

    from fluxq_reference.server import serve_in_thread

    with serve_in_thread(create_app(reference_config())) as base_url:
        target = Target("reference", base_url, DEMO_API_KEY, live=False, markers=True)
        settings = RunSettings(sections=("auth", "lifecycle", "outputs"), pacing=Pacing(settle=0.0))
        report = run_conformance(target, settings, transport=Exploding())
    errors = [r for r in report.results if r.outcome is Outcome.ERROR]
    assert [r.check_id for r in errors] == ["outputs.internal_error"]
    assert "RuntimeError: a bug in the suite" in errors[0].message
    assert any(r.check_id == "lifecycle.identity" for r in report.results)
    assert report.exit_code() == 2
    write_json(report, tmp_path / "r.json", Redactor((DEMO_API_KEY,)))
    assert json.loads((tmp_path / "r.json").read_text())["totals"]["error"] == 1


def test_transport_errors_are_in_the_message() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    session, _seen = _session(refuse)
    exchange = session.send("GET", f"{BASE}/v1/queue/flux_pro_11/requests/x/status")
    assert exchange.status_code is None
    assert "ConnectError: connection refused" in (exchange.error or "")


def test_short_keys_are_refused_and_redaction_never_corrupts_documents(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="shorter than 8"):
        Redactor(("fals",))
    key = "key-12345"
    redact = Redactor((key,))
    result = CheckResult("auth.wrong", Outcome.FAILED, f"sent {key}", "flux_pro_11", "status_flux_pro_11")
    report = RunReport("reference", {"seed": 0, "flag": False, "note": f"k={key}"}, [result])
    write_json(report, tmp_path / "r.json", redact)
    write_junit(report, tmp_path / "r.xml", redact)
    write_html(report, tmp_path / "r.html", redact)
    document = json.loads((tmp_path / "r.json").read_text())  # still valid JSON
    assert document["settings"]["flag"] is False
    assert document["checks"][0]["message"] == f"sent {KEY_PLACEHOLDER}"
    for name in ("r.json", "r.xml", "r.html"):
        assert key not in (tmp_path / name).read_text()


def test_cli_refuses_a_short_live_key(capsys: pytest.CaptureFixture[str]) -> None:
    from fluxq_conformance.cli import main

    assert main(["--base-url", BASE, "--api-key", "short"]) == 2
    assert "shorter than 8" in capsys.readouterr().err
