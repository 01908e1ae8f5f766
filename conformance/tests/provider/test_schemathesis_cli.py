"""The schemathesis CLI (`st run`) against the provider on a real loopback port: zero failures.

It runs from the repository root with no ``--config-file``, as a user would: schemathesis finds the
shipped ``schemathesis.toml`` there by itself.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from fluxq_reference import Duration, ModelTiming, ProviderConfig, run_in_thread, same_timing

ROOT = Path(__file__).resolve().parents[3]
MAX_EXAMPLES = 25
WALL_TIME_LIMIT_SECONDS = 150


def _schemathesis_command() -> list[str]:
    executable = Path(sys.executable).with_name("schemathesis")
    if executable.exists():
        return [str(executable)]
    return [sys.executable, "-m", "schemathesis.cli"]


def test_st_run_all_phases_all_checks_finds_nothing() -> None:
    # Real time, short tasks: the stateful phase sees queued, running and finished tasks.
    timing = ModelTiming(Duration.uniform(0.0, 0.05), Duration.uniform(0.0, 0.2))
    with run_in_thread(ProviderConfig(timings=same_timing(timing))) as base_url:
        completed = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            [
                *_schemathesis_command(),
                "--no-color",
                "run",
                "spec/fluxq.openapi.yaml",
                "--url",
                base_url,
                "--checks",
                "all",
                "--phases",
                "examples,coverage,fuzzing,stateful",
                "--max-examples",
                str(MAX_EXAMPLES),
                "--seed",
                "1",
                "--request-timeout",
                "10",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=WALL_TIME_LIMIT_SECONDS,
            check=False,
        )
    summary = completed.stdout[-4000:]
    assert completed.returncode == 0, summary + completed.stderr[-2000:]
    assert "Stateful" in summary
    assert " failed" not in summary.split("SUMMARY", 1)[-1]
