"""mypy sees the typed parameters: wrong types, unknown and missing parameters are caught statically."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from mypy import api

USAGE = """
import fluxq


def use(client: fluxq.Client, aclient: fluxq.AsyncClient) -> None:
    client.flux_pro_11.submit(prompt="x", width="1")
    client.flux_pro_11.submit(prompt="x", aspect_ratio="1:1")
    client.flux_2_pro.submit(width=64)
    job = client.flux_kontext_pro.submit(prompt="x", output_format="png", seed=None)
    reveal_type(job.wait(timeout=5).outputs[0].item)
    reveal_type(job.status())


async def ause(aclient: fluxq.AsyncClient) -> None:
    await aclient.flux_2_pro.run(prompt="x", output_format="gif")
"""


def test_mypy_checks_model_parameters(tmp_path: Path) -> None:
    usage = tmp_path / "usage.py"
    usage.write_text(USAGE)

    out, _, code = api.run(["--strict", "--no-error-summary", "--hide-error-context", str(usage)])
    lines = [line.split(": ", 1)[1] for line in out.splitlines()]

    assert code == 1
    assert any('"width" to "submit" of "FluxPro11" has incompatible type "str"' in line for line in lines)
    assert any('Unexpected keyword argument "aspect_ratio"' in line for line in lines)
    assert any('Missing named argument "prompt" for "submit" of "Flux2Pro"' in line for line in lines)
    assert any('"output_format" to "run" of "AsyncFlux2Pro"' in line for line in lines)
    assert 'note: Revealed type is "fluxq_models.OutputItem"' in lines
    assert any("Revealed type is" in line and "Queued" in line and "Completed" in line for line in lines)
    assert sum(line.startswith("error:") for line in lines) == 4


OUTSIDE_USAGE = """
import fluxq


def use(client: fluxq.Client) -> None:
    job = client.flux_pro_11.submit(prompt="x", width="big")
    reveal_type(job)
"""


def test_mypy_follows_the_editable_install_from_outside_the_repository(tmp_path: Path) -> None:
    """A user's own script, type-checked in its own directory (no fluxq config, no mypy_path)."""
    script = tmp_path / "mine.py"
    script.write_text(OUTSIDE_USAGE)

    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--hide-error-context", "mine.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    lines = [line.split(": ", 1)[1] for line in completed.stdout.splitlines() if ": " in line]

    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert any('"width" to "submit" of "FluxPro11" has incompatible type "str"' in line for line in lines)
    assert any("Revealed type is" in line and "fluxq._job.Job" in line for line in lines), lines


def test_mypy_refuses_a_model_id_the_spec_does_not_know(tmp_path: Path) -> None:
    usage = tmp_path / "ids.py"
    usage.write_text(
        "import fluxq\n\n\n"
        "def use(client: fluxq.Client) -> None:\n"
        '    client.run("flux_pro_1.1", prompt="x")\n'
        '    client.submit("flux_pro_11", prompt="x")\n'
    )

    out, _, code = api.run(["--strict", "--no-error-summary", "--hide-error-context", str(usage)])
    lines = [line.split(": ", 1)[1] for line in out.splitlines()]

    assert code == 1
    assert len(lines) == 1, lines
    assert '"run" of "Client" has incompatible type "Literal[\'flux_pro_1.1\']"' in lines[0]


def test_model_id_checks_ids_read_at_run_time() -> None:
    import fluxq

    assert fluxq.model_id("flux_2_pro") == "flux_2_pro"
    with pytest.raises(fluxq.ValidationError, match=r"unknown model 'flux_pro_1\.1'"):
        fluxq.model_id("flux_pro_1.1")
