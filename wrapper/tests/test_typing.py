"""mypy sees the typed parameters: wrong types, unknown and missing parameters are caught statically."""

from __future__ import annotations

from pathlib import Path

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
