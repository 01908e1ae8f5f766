"""The instruction-count benchmark: its parsing, its arithmetic and its raw ASGI client."""

from __future__ import annotations

import pytest

from benchmarks.instructions import InstructionCounts, instruction_refs, raw_task, run_workload
from benchmarks.throughput import zero_time_config

REPORT = """==4242== Cachegrind, a cache and branch-prediction profiler
==4242==
==4242== I   refs:      2,671,904,113
"""


def test_the_instruction_total_is_read_from_cachegrinds_summary() -> None:
    assert instruction_refs(REPORT) == 2_671_904_113
    with pytest.raises(ValueError, match="I refs"):
        instruction_refs("==1== nothing counted")


def test_the_client_share_excludes_the_providers() -> None:
    counts = InstructionCounts({"raw": 800.0, "bare": 2800.0, "wrap": 3000.0})
    assert counts.client("bare") == 2000.0
    assert counts.client("wrap") == 2200.0
    assert counts.ratio == pytest.approx(1.1)


async def test_the_raw_client_runs_a_whole_task_against_the_provider() -> None:
    from fluxq_reference import DEMO_API_KEY, create_app

    app = create_app(zero_time_config())
    result = await raw_task(app, DEMO_API_KEY)()
    assert result["status"] == "COMPLETED"
    assert result["outputs"][0]["url"].startswith("http://provider/model/")
    assert app.state.provider.counters.total_requests() == 2


@pytest.mark.parametrize("mode", ["raw", "bare", "wrap"])
async def test_every_workload_runs(mode: str) -> None:
    await run_workload(mode, 2)
