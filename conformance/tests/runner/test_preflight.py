"""The pre-flight: a base URL where every path answers 404 stops the run with a hint, creating nothing."""

from __future__ import annotations

import pytest

from fluxq_conformance.cli import main
from fluxq_reference import DEMO_API_KEY, ProviderConfig, create_app
from fluxq_reference.server import serve_in_thread


def test_base_url_without_model_stops_before_any_check(capsys: pytest.CaptureFixture[str]) -> None:
    app = create_app(ProviderConfig(api_keys=(DEMO_API_KEY,)))
    with serve_in_thread(app) as base_url:
        wrong = base_url.removesuffix("/model")
        code = main(["--base-url", wrong, "--api-key", DEMO_API_KEY, "--only", "auth,lifecycle"])
    captured = capsys.readouterr()
    assert code == 2
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert f"every path answered 404 at {wrong}" in lines[0]
    assert "end in /model" in lines[0]
    assert DEMO_API_KEY not in captured.err
    assert captured.out == ""  # no report of a run that did not happen
    assert app.state.provider.counters.tasks_created == 0
    assert app.state.provider.counters.total_requests() == 0  # every probe missed every route


def test_the_right_base_url_passes_the_pre_flight(capsys: pytest.CaptureFixture[str]) -> None:
    app = create_app(ProviderConfig(api_keys=(DEMO_API_KEY,)))
    with serve_in_thread(app) as base_url:
        code = main(["--base-url", base_url, "--api-key", DEMO_API_KEY, "--only", "auth"])
    assert code == 0
    assert "every path answered 404" not in capsys.readouterr().err
