"""From a changed provider page to typed code, end to end, on temporary copies of spec/ and the wrapper.

One combined test, because regenerating takes seconds: a provider widens a range and adds a boolean
parameter → ``fluxq docs-diff --patch`` writes the spec → a fourth model is added to the spec by hand
→ ``scripts/regenerate`` → mypy sees the new parameter, the widened range's type and the new model's
accessor; the reference provider serves and validates them; ``fluxq conformance`` runs the lifecycle of
all four models; a second regeneration is byte-identical (the drift check is clean).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from fluxq.cli import build_app

ROOT = Path(__file__).resolve().parents[2]
PAGE = "001_54a6746bf47acc53.txt"
NEW_PAGE = "005_odirouter_flux_pro_11.txt"

PAGE_EDITS = (
    ("Range: 256 - 1440\nDefault: 1024", "Range: 256 - 2048\nDefault: 1024"),
    ('"prompt_upsampling": false, ', '"prompt_upsampling": false, "raw": false, '),
    (
        "more creative generation.\nDefault: false\n",
        "more creative generation.\nDefault: false\nGenerate less processed, more natural-looking images.\n"
        "Default: false\n",
    ),
)

USAGE = """
import fluxq


def use(client: fluxq.Client) -> None:
    client.flux_pro_11.submit(prompt="x", width=2048, raw=True)
    client.flux_dev.run(prompt="x", steps=50, guidance=3.5, poll_interval=1.0)
    client.flux_pro_11.submit(prompt="x", raw="yes")
    client.flux_dev.submit(prompt="x", width=512)


async def ause(aclient: fluxq.AsyncClient) -> None:
    await aclient.flux_dev.run(prompt="x", steps="many", cancel_on_timeout=True)
"""

RUNTIME = """
import asyncio, json, httpx, fluxq
from fluxq_reference import ModelTiming, ProviderConfig, create_app, same_timing

async def main() -> None:
    app = create_app(ProviderConfig(timings=same_timing(ModelTiming.zero())))
    transport = httpx.ASGITransport(app)
    base = "http://testserver/model"
    async with fluxq.AsyncClient("fluxq-demo-key", base_url=base, transport=transport) as c:
        wide = await c.flux_pro_11.run(prompt="apple", width=2048, height=768, raw=True, poll_interval=0.01)
        dev = await c.flux_dev.run(prompt="apple", steps=50, poll_interval=0.01)
        try:
            await c.flux_pro_11.submit(prompt="apple", width=2080)
            refused = ""
        except fluxq.ValidationError as error:
            refused = str(error)
    item = wide.outputs[0].item
    print(json.dumps({"wide": [item.width, item.height], "dev": len(dev.outputs), "refused": refused}))

asyncio.run(main())
"""


def _edited_page(tmp_path: Path) -> Path:
    text = (ROOT / "spec" / "sources" / PAGE).read_text(encoding="utf-8")
    for old, new in PAGE_EDITS:
        assert old in text
        text = text.replace(old, new, 1)
    page = tmp_path / NEW_PAGE
    page.write_text(text, encoding="utf-8")
    return page


def _add_model(spec_file: Path, new: str = "flux_dev", template: str = "flux_pro_11") -> None:
    """Add a fourth model to the spec the way a person would: its paths, bodies and input schema."""
    spec: dict[str, Any] = yaml.safe_load(spec_file.read_text(encoding="utf-8"))

    def renamed(node: Any) -> Any:
        text = yaml.safe_dump(node, sort_keys=False).replace(template, new).replace("FluxPro11", "FluxDev")
        return yaml.safe_load(text.replace("FLUX 1.1 [pro]", "FLUX.1 [dev]"))

    for path in [p for p in spec["paths"] if template in p]:
        spec["paths"][path.replace(template, new)] = renamed(spec["paths"][path])
    components = spec["components"]
    for section, name in (("requestBodies", "FluxPro11Input"), ("responses", "SubmittedFluxPro11")):
        components[section][name.replace("FluxPro11", "FluxDev")] = renamed(components[section][name])
    components["examples"]["SubmittedFluxDev"] = renamed(components["examples"]["SubmittedFluxPro11"])
    body = components["requestBodies"]["FluxDevInput"]["content"]["application/json"]
    body["examples"]["docs"]["value"] = {"prompt": "a red apple", "steps": 28}
    spec["tags"].append({"name": new, "description": "FLUX.1 [dev]"})
    components["schemas"]["FluxDevInput"] = {
        "title": "FluxDevInput",
        "type": "object",
        "required": ["prompt"],
        "additionalProperties": False,
        "properties": {
            "prompt": {"type": "string", "minLength": 1, "description": "Text prompt."},
            "steps": {"type": "integer", "minimum": 1, "maximum": 50, "default": 28, "description": "Steps."},
            "guidance": {"type": "number", "minimum": 1.5, "maximum": 5, "description": "Guidance."},
        },
    }
    spec_file.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _python(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run this interpreter (our own scripts and snippets only) and capture its output."""
    command = [sys.executable, *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)  # noqa: S603


def _regenerate(spec_dir: Path, out: Path, wrapper: Path) -> None:
    script = str(ROOT / "scripts" / "regenerate")
    done = _python(script, "--spec-dir", str(spec_dir), "--out", str(out), "--wrapper-out", str(wrapper))
    assert done.returncode == 0, done.stderr


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_a_page_change_and_a_fourth_model_flow_into_typed_code(tmp_path: Path) -> None:
    spec_dir = tmp_path / "spec"
    skipped = shutil.ignore_patterns("tests", "fluxq_spec", "__pycache__")
    shutil.copytree(ROOT / "spec", spec_dir, ignore=skipped)
    wrapper = tmp_path / "wrapper" / "fluxq"
    shutil.copytree(ROOT / "wrapper" / "fluxq", wrapper, ignore=shutil.ignore_patterns("__pycache__"))
    spec_file = spec_dir / "fluxq.openapi.yaml"

    # 1. The provider edits its page; docs-diff reports it and --patch writes it into the spec.
    page = _edited_page(tmp_path)
    runner = CliRunner()
    diff = ["docs-diff", str(page), "--spec", str(spec_file)]
    report = runner.invoke(build_app(), [*diff, "--json"])
    assert report.exit_code == 1
    rows = json.loads(report.stdout)["differences"]
    drift = {(d["kind"], d["parameter"], d["field"]) for d in rows if d["kind"] != "choice"}
    assert drift == {("changed", "width", "maximum"), ("new", "raw", "parameter")}
    assert runner.invoke(build_app(), [*diff, "--patch"]).exit_code == 1
    assert runner.invoke(build_app(), diff).exit_code == 0
    # The remaining step the patch printed: the page joins the snapshots its new quotes point at.
    shutil.copy(page, spec_dir / "sources" / NEW_PAGE)
    patched = yaml.safe_load(spec_file.read_text(encoding="utf-8"))
    raw = patched["components"]["schemas"]["FluxPro11Input"]["properties"]["raw"]
    assert raw["x-fluxq-source"][0]["page"] == NEW_PAGE
    quote = " ".join(raw["x-fluxq-source"][0]["quote"].split())
    assert quote in " ".join(page.read_text(encoding="utf-8").split())

    # 2. A fourth model, added to the spec only.
    _add_model(spec_file)

    # 3. scripts/regenerate alone turns the spec into code.
    generated = tmp_path / "generated"
    _regenerate(spec_dir, generated, wrapper)

    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join([str(generated), str(wrapper.parent)]),
        FLUXQ_SPEC=str(spec_file),
    )
    # 4. mypy sees the new parameter, the new model and its parameters' types.
    (tmp_path / "usage.py").write_text(USAGE, encoding="utf-8")
    (tmp_path / "mypy.ini").write_text(
        f"[mypy]\nmypy_path = {generated}:{wrapper.parent}:{ROOT / 'spec'}\n", encoding="utf-8"
    )
    checked = _python(
        "-m", "mypy", "--strict", "--no-error-summary", "--hide-error-context", "usage.py", cwd=tmp_path
    )
    errors = [line for line in checked.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 3, checked.stdout + checked.stderr
    assert any('"raw" to "submit" of "FluxPro11" has incompatible type "str"' in e for e in errors)
    assert any('Unexpected keyword argument "width" for "submit" of "FluxDev"' in e for e in errors)
    assert any('"steps" to "run" of "AsyncFluxDev" has incompatible type "str"' in e for e in errors)

    # 5. The reference provider serves the new model and accepts the widened range and the new parameter.
    ran = _python("-c", RUNTIME, env=env)
    assert ran.returncode == 0, ran.stderr
    outcome = json.loads(ran.stdout)
    assert outcome["wide"] == [2048, 768]
    assert outcome["dev"] == 1
    assert "width" in outcome["refused"]

    # 6. The conformance suite targets all four models.
    report_path = tmp_path / "conformance.json"
    cli = "import sys; from fluxq.cli import main; sys.exit(main(sys.argv[1:]))"
    judged = _python(
        "-c", cli, "conformance", "--only", "lifecycle", "--report-json", str(report_path), env=env
    )
    assert judged.returncode == 0, judged.stdout[-3000:] + judged.stderr[-3000:]
    judged_models = {check.get("model") for check in json.loads(report_path.read_text())["checks"]}
    assert {"flux_kontext_pro", "flux_pro_11", "flux_2_pro", "flux_dev"} <= judged_models

    # 7. The drift check: regenerating again changes nothing.
    again = tmp_path / "again"
    _regenerate(spec_dir, again / "generated", again / "wrapper")
    assert _tree(again / "generated") == _tree(generated)
    module = "_generated_models.py"
    assert (again / "wrapper" / module).read_bytes() == (wrapper / module).read_bytes()
