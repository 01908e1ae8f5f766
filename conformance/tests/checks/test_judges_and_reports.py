"""Pure parts: contract tolerances, reports (escaping, totals, exit codes), curl lines."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from fluxq_conformance.checks.documented import undocumented_reason
from fluxq_conformance.checks.tolerance import inexpressible_reason, is_state_refusal, only_unknown_fields
from fluxq_conformance.core.exchange import Exchange, Redactor, reproduce, to_curl
from fluxq_conformance.core.results import CheckResult, Outcome, RunReport
from fluxq_conformance.report.files import render_html, write_json, write_junit

BASE = "https://cloud.seaart.ai/model/v1/queue"


def test_only_unknown_fields_tells_extra_fields_from_other_faults() -> None:
    assert only_unknown_fields("submit_flux_pro_11", {"prompt": "a", "typo": 1})
    assert not only_unknown_fields("submit_flux_pro_11", {"prompt": "a", "typo": 1, "width": 500})
    assert not only_unknown_fields("submit_flux_pro_11", {"typo": 1})


def test_inexpressible_reason_names_image_fields_and_integral_floats() -> None:
    reason = inexpressible_reason("submit_flux_2_pro", {"prompt": "a", "input_image": "zz", "seed": 1.0})
    assert reason is not None
    assert "input_image" in reason
    assert "seed" in reason
    assert inexpressible_reason("submit_flux_2_pro", {"prompt": "a", "seed": 1}) is None


def test_state_refusals_are_documented_answers_only_for_cancel_and_result() -> None:
    assert is_state_refusal("PUT", f"{BASE}/flux_pro_11/requests/x/cancel", 400)
    assert is_state_refusal("GET", f"{BASE}/flux_pro_11/requests/x/response", 410)
    assert not is_state_refusal("GET", f"{BASE}/flux_pro_11/requests/x/status", 400)
    assert not is_state_refusal("POST", f"{BASE}/flux_pro_11", 400)


def _exchange() -> Exchange:
    return Exchange(
        "POST",
        f"{BASE}/flux_pro_11",
        {"authorization": "Bearer sk-SECRET", "content-type": "application/json"},
        b'{"prompt": "it\'s <b>"}',
        401,
        {"content-type": "application/json"},
        b'{"error": {"code": "UNAUTHORIZED", "message": "<script>alert(1)</script>"}}',
    )


def test_curl_line_uses_the_placeholder_and_survives_quotes() -> None:
    curl = to_curl(_exchange(), Redactor(("sk-SECRET",)))
    assert "sk-SECRET" not in curl
    assert '"authorization: Bearer $FLUXQ_API_KEY"' in curl
    assert '--data \'{"prompt": "it\'"\'"\'s <b>"}\'' in curl


SECRET = "sk-SECRET-0123"
#: Headers httpx adds by itself: a curl line leaves them to curl.
TRANSPORT_HEADERS = {
    "host": "cloud.seaart.ai",
    "content-length": "21",
    "accept-encoding": "gzip",
    "connection": "keep-alive",
    "user-agent": "python-httpx/0.28",
    "accept": "*/*",
}


def _shell_argv(curl: str, key: str) -> list[str]:
    """The arguments a POSIX shell hands to curl for this line (with ``FLUXQ_API_KEY`` set)."""
    assert curl.startswith("curl ")
    printed = subprocess.run(  # noqa: S603 - a fixed interpreter; the line is the code under test
        ["/bin/sh", "-c", "printf '%s\\0' " + curl.removeprefix("curl ")],
        env={"FLUXQ_API_KEY": key, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        check=True,
        timeout=5,
    )
    return printed.stdout.decode().split("\0")[:-1]


def test_a_curl_line_hands_curl_the_request_with_the_key_from_the_environment() -> None:
    body = b'{"prompt": "it\'s $HOME `id` <b>"}'
    exchange = Exchange(
        "POST",
        f"{BASE}/flux_pro_11?key={SECRET}",
        {
            **TRANSPORT_HEADERS,
            "authorization": f"Bearer {SECRET}",
            "x-note": f'{SECRET} "quoted" `id` $HOME \\{SECRET} \\',
            "x-plain": 'a "b" `c` $HOME',
            "content-type": "application/json",
        },
        body,
        200,
    )
    curl = to_curl(exchange, Redactor((SECRET,)))

    assert SECRET not in curl
    assert _shell_argv(curl, "sk-from-env") == [
        "-X",
        "POST",
        f"{BASE}/flux_pro_11?key=$FLUXQ_API_KEY",  # a URL is quoted: the placeholder stays visible
        "-H",
        "authorization: Bearer sk-from-env",
        "-H",
        'x-note: sk-from-env "quoted" `id` $HOME \\sk-from-env \\',
        "-H",
        'x-plain: a "b" `c` $HOME',
        "-H",
        "content-type: application/json",
        "--data",
        body.decode(),
    ]


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_binary_body_is_summarised_by_its_own_content_type() -> None:
    image = _png(2, 3)
    summary = f"<{len(image)} bytes of image/png, 2×3 pixels>"
    upload = Exchange(
        "PUT",
        f"{BASE}/upload",
        {"content-type": "image/png", "authorization": f"Key {SECRET}"},
        image,
        200,
        {"content-type": "image/png"},
        image,
    )
    evidence = reproduce(upload, Redactor((SECRET,)))
    assert evidence.request_body == summary
    assert evidence.response_body == summary
    assert evidence.request_headers == {"content-type": "image/png", "authorization": "Key $FLUXQ_API_KEY"}
    assert _shell_argv(evidence.curl, "k")[-2:] == ["--data", summary]


def test_a_reproduction_shows_each_field_redacted() -> None:
    asked = Exchange(
        "GET",
        f"{BASE}/flux_pro_11/requests/{SECRET}/status",
        {"authorization": f"Bearer {SECRET}"},
        None,
        404,
        {"content-type": "application/json", "x-echo": SECRET},
        json.dumps({"detail": f"no task {SECRET}"}).encode(),
    )
    evidence = reproduce(asked, Redactor((SECRET,)))
    assert evidence.method == "GET"
    assert evidence.url == f"{BASE}/flux_pro_11/requests/$FLUXQ_API_KEY/status"
    assert evidence.request_body is None
    assert evidence.status_code == 404
    assert evidence.response_headers == {"content-type": "application/json", "x-echo": "$FLUXQ_API_KEY"}
    assert evidence.response_body == '{"detail": "no task $FLUXQ_API_KEY"}'
    assert "--data" not in evidence.curl

    failed = reproduce(
        Exchange("GET", f"{BASE}/x", {}, None, None, error=f"refused {SECRET}"), Redactor((SECRET,))
    )
    assert failed.response_body == "refused $FLUXQ_API_KEY"
    assert failed.status_code is None


def test_the_shortest_key_the_redactor_accepts() -> None:
    assert Redactor(("12345678",))("key 12345678.") == "key $FLUXQ_API_KEY."
    with pytest.raises(ValueError, match="shorter than 8 characters"):
        Redactor(("1234567",))
    assert Redactor(("",))("unchanged") == "unchanged"


def _report() -> RunReport:
    evidence = reproduce(_exchange(), Redactor(("sk-SECRET",)))
    report = RunReport("<target>", {"seed": 0})
    report.results = [
        CheckResult(
            "auth.missing", Outcome.FAILED, "answered <200>", "flux_pro_11", "submit_flux_pro_11", evidence
        ),
        CheckResult("auth.wrong", Outcome.PASSED, "401", "flux_pro_11", "submit_flux_pro_11"),
        CheckResult("auth.scheme.key", Outcome.SKIPPED, "not offered", "flux_pro_11", "status_flux_pro_11"),
    ]
    return report


def test_totals_and_exit_codes() -> None:
    report = _report()
    assert report.totals() == {
        "passed": 1,
        "unsupported": 0,
        "skipped": 1,
        "warning": 0,
        "error": 0,
        "failed": 1,
    }
    assert report.exit_code() == 1
    report.results = report.results[1:]
    assert report.exit_code() == 0


def test_html_escapes_everything() -> None:
    page = render_html(_report())
    assert "<script>alert(1)" not in page  # the page's own search script is the only <script>
    assert page.count("<script>") == 1
    assert "&lt;script&gt;" in page
    assert "&lt;target&gt;" in page
    assert "sk-SECRET" not in page


def test_json_and_junit_files(tmp_path: Path) -> None:
    redact = Redactor(("sk-SECRET",))
    write_json(_report(), tmp_path / "r.json", redact)
    write_junit(_report(), tmp_path / "r.xml", redact)
    document = json.loads((tmp_path / "r.json").read_text())
    assert document["totals"]["failed"] == 1
    assert document["checks"][0]["reproduction"]["curl"].startswith("curl -X POST")
    junit = (tmp_path / "r.xml").read_text()
    assert "<failure" in junit
    assert "<skipped" in junit


def _status_reply(status: int, body: object) -> Exchange:
    return Exchange(
        "GET",
        f"{BASE}/flux_pro_11/requests/mmsu_x/status",
        {},
        None,
        status,
        {"content-type": "application/json"},
        json.dumps(body).encode(),
    )


def test_documented_responses_pass_and_each_violation_is_named() -> None:
    assert undocumented_reason(_status_reply(200, {"status": "IN_PROGRESS", "request_id": "mmsu_x"})) is None
    one = undocumented_reason(_status_reply(200, {"status": "RUNNING", "request_id": "mmsu_x"}))
    assert one is not None
    assert one.startswith("status_flux_pro_11 200: ")
    # An error body under 200 breaks the status schema in two distinct ways: schemathesis raises an
    # exception group (not an AssertionError), which must become a finding, not end the run.
    error_body = {"error": {"code": "UNAUTHORIZED", "message": "no key"}}
    several = undocumented_reason(_status_reply(200, error_body))
    assert several is not None
    assert several.startswith("status_flux_pro_11 200: ")
