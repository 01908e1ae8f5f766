"""The shipped cassette sets replay offline and pass; the documented set matches the spec."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from fluxq_conformance.cassettes.record import scrub_request, scrub_response
from fluxq_conformance.cassettes.replay import judge_exchanges, play_cassette, replay_directory
from fluxq_conformance.cassettes.transcribe import documented_cassettes
from fluxq_conformance.core.exchange import Redactor
from fluxq_conformance.core.results import Outcome

CASSETTES = Path(__file__).resolve().parents[2] / "fluxq_conformance" / "cassettes" / "recorded"


@pytest.mark.parametrize("name", ["reference", "documented"])
def test_shipped_cassettes_replay_and_pass(name: str) -> None:
    report = replay_directory(CASSETTES / name)
    assert [r.message for r in report.results if r.outcome is Outcome.FAILED] == []
    assert [r.message for r in report.results if r.outcome is Outcome.WARNING] == []
    passed = {r.check_id for r in report.results if r.outcome is Outcome.PASSED}
    assert {"lifecycle.identity", "lifecycle.documented_response"} <= passed
    if name == "reference":
        assert "lifecycle.monotonic" in passed


def test_the_documented_set_is_the_pages_verbatim_and_invents_nothing() -> None:
    """Submit replies are each page's example; nothing the docs do not show (no status reply, no
    result, no failure) is in the set, and NOT-DOCUMENTED.md says so."""
    cassettes = documented_cassettes()
    uris = [i["request"]["uri"] for c in cassettes.values() for i in c["interactions"]]
    assert not [uri for uri in uris if uri.endswith("/status") and "fluxq_conformance_unknown" not in uri]
    assert not [uri for uri in uris if uri.endswith("/response")]
    for name, cassette in cassettes.items():
        if name.endswith("-submit.yaml"):
            submit = cassette["interactions"][0]
            model = name.split("-", 1)[0]
            reply = yaml.safe_load(submit["response"]["body"]["string"])
            assert all(f"/v1/queue/{model}/requests/" in reply[key] for key in ("status_url", "cancel_url"))
    notes = (CASSETTES / "documented" / "NOT-DOCUMENTED.md").read_text(encoding="utf-8")
    assert "status reply" in notes
    report = replay_directory(CASSETTES / "documented")
    skipped = {r.check_id for r in report.results if r.outcome is Outcome.SKIPPED}
    assert "lifecycle.monotonic" in skipped
    assert any(r.check_id == "lifecycle.cancel" and r.outcome is Outcome.PASSED for r in report.results)


def test_reference_cassette_covers_every_scenario() -> None:
    report = replay_directory(CASSETTES / "reference")
    passed = {r.check_id for r in report.results if r.outcome is Outcome.PASSED}
    assert {
        "lifecycle.cancel",
        "lifecycle.failure.CONTENT_BLOCKED",
        "outputs.image",
        "outputs.size",
    } <= passed


def test_documented_set_is_transcribed_from_the_current_spec() -> None:
    for name, cassette in documented_cassettes().items():
        on_disk = yaml.safe_load((CASSETTES / "documented" / name).read_text(encoding="utf-8"))
        assert on_disk == cassette, f"{name} is stale: run scripts/record"


def test_a_broken_recording_is_caught(tmp_path: Path) -> None:
    cassette = documented_cassettes()["flux_kontext_pro-odirouter-submit.yaml"]
    reply = cassette["interactions"][0]["response"]["body"]
    reply["string"] = reply["string"].replace("requests/mmsu_01hxyz.../status", "requests/mmsu_other/status")
    tmp = tmp_path / "broken.yaml"
    tmp.write_text(yaml.safe_dump(cassette))
    failed = {
        r.check_id for r in judge_exchanges(play_cassette(tmp), Redactor()) if r.outcome is Outcome.FAILED
    }
    assert "lifecycle.identity" in failed


def test_scrubbers_remove_the_key_everywhere() -> None:
    class Request:
        def __init__(self) -> None:
            self.uri = "https://p/model/v1/queue/flux_pro_11?key=SECRET-KEY-1"
            self.headers = {"Authorization": "Bearer SECRET-KEY-1", "X-Other": "SECRET-KEY-1-ish"}
            self.body = b'{"prompt": "SECRET-KEY-1"}'

    redact = Redactor(("SECRET-KEY-1",))
    scrubbed = scrub_request(Request(), redact)
    assert "SECRET-KEY-1" not in scrubbed.uri + str(scrubbed.headers) + scrubbed.body.decode()
    response = {
        "headers": {"Set-Cookie": ["a=SECRET-KEY-1"], "X-Echo": ["SECRET-KEY-1"]},
        "body": {"string": b"\x89SECRET-KEY-1"},
    }
    scrubbed_response = scrub_response(response, redact)
    assert b"SECRET-KEY-1" not in scrubbed_response["body"]["string"]
    assert "Set-Cookie" not in scrubbed_response["headers"]
    assert scrubbed_response["headers"]["X-Echo"] == ["$FLUXQ_API_KEY"]


def test_recordings_normalise_ports_dates_and_random_tokens() -> None:
    from fluxq_conformance.cassettes.record import RECORDED_DATE, Normaliser

    normalise = Normaliser()
    first = normalise(
        '{"request_id":"mmsu_gegbcsa9jaw69ekevq0ynjhbg2","status_url":"http://127.0.0.1:34737/model/v1/'
        'queue/flux_2_pro/requests/mmsu_gegbcsa9jaw69ekevq0ynjhbg2/status"}'
    )
    assert first == (
        '{"request_id":"mmsu_00000000000000000000000001","status_url":"http://127.0.0.1:8765/model/v1/'
        'queue/flux_2_pro/requests/mmsu_00000000000000000000000001/status"}'
    )
    assert normalise("mmsu_zzzzzzzzzzzzzzzzzzzzzzzzzz mmsu_gegbcsa9jaw69ekevq0ynjhbg2") == (
        "mmsu_00000000000000000000000002 mmsu_00000000000000000000000001"
    )
    assert normalise("http://127.0.0.1:9/model/files/SCqpDX-4EMmDkfUr0RW4ewZN/x.png") == (
        "http://127.0.0.1:8765/model/files/000000000000000000000003/x.png"
    )
    assert (
        normalise('"request_id":"req_f6a1b67f4d2cb985301b9909"')
        == '"request_id":"req_000000000000000000000004"'
    )
    response = scrub_response(
        {"headers": {"date": ["Sun, 22 Nov 2026 04:00:22 GMT"]}, "body": {"string": b""}},
        Redactor(),
        normalise,
    )
    assert response["headers"]["date"] == [RECORDED_DATE]
