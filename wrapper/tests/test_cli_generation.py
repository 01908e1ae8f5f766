"""``fluxq generate --protocol generation`` against a reference provider on a loopback port.

The real CLI entry point (``main``) with its default client, over real HTTP to ``127.0.0.1``: the
task is created on ``/v1/generation``, polled on ``/v1/generation/task/{id}``, and the image saved.
Tasks take a fraction of a second; the wait is bounded by ``--timeout``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from fluxq.cli import main
from fluxq_reference import DEMO_API_KEY, Duration, ModelTiming, ProviderConfig, create_app, same_timing
from fluxq_reference.server import serve_in_thread


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[str, object]]:
    timing = ModelTiming(Duration.fixed(0.05), Duration.fixed(0.2))
    app = create_app(ProviderConfig(timings=same_timing(timing)))
    with serve_in_thread(app) as base_url:
        yield base_url, app


@pytest.mark.parametrize(
    ("model", "params", "size"),
    [
        ("flux_kontext_pro", ["-p", "aspect_ratio=1:1"], (1024, 1024)),
        ("flux_pro_11", ["-p", "width=512", "-p", "height=256"], (512, 256)),
        ("flux_2_pro", ["-p", "width=256", "-p", "height=320"], (256, 320)),
    ],
)
def test_generate_over_the_generation_format_saves_images_and_reports_the_cost(
    served: tuple[str, object],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    model: str,
    params: list[str],
    size: tuple[int, int],
) -> None:
    base_url, app = served
    counters = app.state.provider.counters  # type: ignore[attr-defined]
    before = (counters.count("create", model), counters.count("submit", model))
    args = ["generate", model, "a red apple", *params, "-o", str(tmp_path), "--timeout", "30"]
    code = main(
        [*args, "--json", "--protocol", "generation", "--base-url", base_url, "--api-key", DEMO_API_KEY]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert float(out["usage"]["cost"]) > 0
    [output] = out["outputs"]
    with Image.open(output["path"]) as image:
        assert image.size == size
    assert (counters.count("create", model), counters.count("submit", model)) == (before[0] + 1, before[1])


def test_the_protocol_can_come_from_the_environment_and_a_bad_one_is_a_usage_error(
    served: tuple[str, object],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base_url, _app = served
    monkeypatch.setenv("FLUXQ_PROTOCOL", "generation")
    args = ["generate", "flux_pro_11", "x [fluxq:error=CONTENT_BLOCKED]", "-o", str(tmp_path)]
    assert main([*args, "--base-url", base_url, "--api-key", DEMO_API_KEY, "--timeout", "30"]) == 1
    assert "ContentBlocked" in capsys.readouterr().err
    bad = main(
        ["status", "t1", "-m", "flux_pro_11", "--protocol", "grpc", "--base-url", base_url, "--api-key", "k"]
    )
    assert bad == 2
    assert "protocol: must be one of queue, generation" in capsys.readouterr().err
