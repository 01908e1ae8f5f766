"""The printed reproductions work: run with bash against the broken provider, they show the defect.

The suite runs against a broken variant served on loopback with the real clock; each failed rule's
script (submit → wait/cancel → the offending request) is then executed as printed, with only
``FLUXQ_API_KEY`` set, and its output must show what the report says.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from variants import BROKEN, CHOICE, Variant

from fluxq_conformance.core.results import Outcome, RunReport
from fluxq_conformance.run.driver import Pacing
from fluxq_conformance.run.runner import RunSettings, run_conformance
from fluxq_conformance.run.targets import app_target, reference_config
from fluxq_reference import DEMO_API_KEY, create_app


def _variant(name: str) -> Variant:
    return next(variant for variant in (*BROKEN, *CHOICE) if variant.name == name)


def _run_and_reproduce(variant: Variant, check_id: str, workdir: Path) -> tuple[RunReport, str, str]:
    """Run the suite on the served variant, then the first script of ``check_id`` with bash."""
    bash = shutil.which("bash")
    assert bash is not None
    assert shutil.which("curl") is not None, "the reproductions need curl"
    app = variant.wrap(create_app(reference_config(api_keys=(DEMO_API_KEY,))), DEMO_API_KEY)
    settings = RunSettings(
        sections=("lifecycle", "outputs"),
        max_examples=1,
        pacing=Pacing(poll_interval=0.05, deadline=20.0, slow_marker="[fluxq:queue=0.2] [fluxq:run=5]"),
    )
    with app_target(app) as target:
        report = run_conformance(target, settings)
        # A finding is failed (documented/evidence rule) or a warning (a fluxq choice): both reproduce.
        findings = (Outcome.FAILED, Outcome.WARNING)
        failed = [r for r in report.results if r.check_id == check_id and r.outcome in findings]
        assert failed, [r.check_id for r in report.results if r.outcome is Outcome.FAILED]
        reproduction = failed[0].reproduction
        assert reproduction is not None
        assert reproduction.script is not None
        script = reproduction.script
        assert DEMO_API_KEY not in script
        assert "$FLUXQ_API_KEY" in script
        environment = {"PATH": os.environ["PATH"], "FLUXQ_API_KEY": DEMO_API_KEY, "HOME": os.environ["HOME"]}
        done = subprocess.run(  # noqa: S603 - the script under test, run as a user would
            [bash, "-euo", "pipefail", "-c", script],
            env=environment,
            cwd=workdir,  # the script downloads outputs into the current directory
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    return report, script, done.stdout + done.stderr


def test_statuses_going_backwards_reproduce_after_waiting_for_completed(tmp_path: Path) -> None:
    variant = _variant("statuses going backwards")
    _, script, output = _run_and_reproduce(variant, "lifecycle.monotonic", tmp_path)
    assert script.index("POST") < script.index("COMPLETED") < script.rindex("/status")
    assert '"COMPLETED"' in output
    last = output[output.rindex("HTTP/") :]
    assert '"IN_PROGRESS"' in last  # the status went backwards, as reported


def test_early_result_reproduces_right_after_submit(tmp_path: Path) -> None:
    variant = _variant("result before completion")
    _, _, output = _run_and_reproduce(variant, "lifecycle.result_202_until_done", tmp_path)
    assert re.search(r"HTTP/[0-9.]+ 200", output)
    assert '"outputs"' in output


def test_wrong_image_size_reproduces_by_downloading_the_output(tmp_path: Path) -> None:
    report, script, output = _run_and_reproduce(
        _variant("images of the wrong size"), "outputs.size", tmp_path
    )
    assert (tmp_path / "fluxq-output").stat().st_size > 0
    assert "file fluxq-output" in script
    message = next(
        r.message
        for r in report.results
        if r.check_id == "outputs.size" and r.outcome.value in ("failed", "warning")
    )
    width, height = re.findall(r"the image is (\d+)×(\d+)", message)[0]
    assert re.search(rf"{width} ?x ?{height}", output), output
