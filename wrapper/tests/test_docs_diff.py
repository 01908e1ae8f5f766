"""``fluxq docs-diff`` on the committed page snapshots and on copies edited the way providers edit pages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from fluxq.cli import build_app

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "fluxq.openapi.yaml"
SOURCES = ROOT / "spec" / "sources"
KONTEXT_ODIROUTER = "000_03dd6dfe1453bfd0.txt"
PRO_11_ODIROUTER = "001_54a6746bf47acc53.txt"
KONTEXT_SEACLOUD = "004_a8639ec7ecb0d597.txt"
DRIFT = {"changed", "new", "removed", "conflict"}
# The snapshots that are model pages (others, such as an SDK's source kept as evidence, are not pages).
MODEL_PAGES = sorted(
    entry["file"]
    for entry in yaml.safe_load((SOURCES / "index.yaml").read_text(encoding="utf-8"))["snapshots"]
    if str(entry["page"]).startswith("model page")
)


def docs_diff(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(build_app(), ["docs-diff", *args])
    return result.exit_code, result.stdout + result.stderr


def report(*args: str) -> dict[str, Any]:
    code, out = docs_diff(*args, "--json")
    loaded: dict[str, Any] = json.loads(out)
    assert loaded["exit_code"] == code
    return loaded


def drift(loaded: dict[str, Any]) -> set[tuple[str, str | None, str]]:
    return {(d["kind"], d["parameter"], d["field"]) for d in loaded["differences"] if d["kind"] in DRIFT}


def edited(tmp_path: Path, name: str, *replacements: tuple[str, str]) -> Path:
    """A copy of a snapshot (same file name) with each `old` replaced once by `new`."""
    text = (SOURCES / name).read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    target = tmp_path / name
    target.write_text(text, encoding="utf-8")
    return target


# The edits a provider makes: a range widened, an option added, a new boolean parameter with a
# default (in the parameter list and the curl example), a parameter removed.
PRO_11_EDITS = (
    ("Range: 256 - 1440\nDefault: 1024", "Range: 256 - 2048\nDefault: 1024"),
    ("Options: jpeg, png", "Options: jpeg, png, webp"),
    ('"prompt_upsampling": false, ', '"prompt_upsampling": false, "raw": false, '),
    (
        "more creative generation.\nDefault: false\n",
        "more creative generation.\nDefault: false\n"
        "Generate less processed, more natural-looking images.\nDefault: false\n",
    ),
    ('"seed": 42, ', ""),
    ("Random seed used to reproduce results. Accepts any integer, for example 42.\n", ""),
)
PRO_11_DRIFT = {
    ("changed", "width", "maximum"),
    ("changed", "output_format", "enum"),
    ("new", "raw", "parameter"),
    ("removed", "seed", "parameter"),
}


def test_unedited_snapshots_agree_with_the_spec_except_its_marked_choices() -> None:
    pages = [str(SOURCES / name) for name in MODEL_PAGES]
    assert len(pages) == 5

    loaded = report(*pages, "--spec", str(SPEC))

    assert loaded["exit_code"] == 0
    assert loaded["differences"], "the spec's marked choices are listed"
    assert {d["kind"] for d in loaded["differences"]} == {"choice"}


@pytest.mark.parametrize("name", MODEL_PAGES)
def test_each_snapshot_alone_agrees(name: str) -> None:
    code, out = docs_diff(str(SOURCES / name), "--spec", str(SPEC))
    assert code == 0, out


def test_an_odirouter_page_without_parameter_names_reports_exactly_the_edits(tmp_path: Path) -> None:
    page = edited(tmp_path, PRO_11_ODIROUTER, *PRO_11_EDITS)

    loaded = report(str(page), "--spec", str(SPEC))

    assert loaded["exit_code"] == 1
    assert drift(loaded) == PRO_11_DRIFT
    rows = {(d["parameter"], d["field"]): d for d in loaded["differences"]}
    assert rows["width", "maximum"]["docs"] == {PRO_11_ODIROUTER: 2048}
    assert rows["width", "maximum"]["spec"] == 1440
    assert rows["width", "maximum"]["location"].startswith(f"{SPEC}:")
    assert rows["width", "maximum"]["location"].endswith("/FluxPro11Input/properties/width/maximum")
    assert rows["raw", "parameter"]["docs"][PRO_11_ODIROUTER] == {
        "type": "boolean",
        "default": False,
        "nullable": False,
    }


def test_a_seacloud_page_with_names_reports_exactly_the_edits(tmp_path: Path) -> None:
    page = edited(
        tmp_path,
        KONTEXT_SEACLOUD,
        ("Range: 0 <= x <= 6", "Range: 0 <= x <= 9"),
        ("Options: jpeg, png", "Options: jpeg, png, webp"),
        (
            "safety_tolerance any",
            "enhance_prompt bool\n\nWhether to enhance the prompt.\n\nDefault: true\n\nsafety_tolerance any",
        ),
        ("aspect_ratio string\n\nImage aspect ratio, between 21:9 and 9:21.\n\n", ""),
    )

    loaded = report(str(page), "--spec", str(SPEC))

    assert loaded["exit_code"] == 1
    assert drift(loaded) == {
        ("changed", "safety_tolerance", "maximum"),
        ("changed", "output_format", "enum"),
        ("new", "enhance_prompt", "parameter"),
        ("removed", "aspect_ratio", "parameter"),
    }


def test_two_pages_that_disagree_are_a_sources_conflict(tmp_path: Path) -> None:
    page = edited(tmp_path, KONTEXT_ODIROUTER, ("Range: 0 <= x <= 6", "Range: 0 <= x <= 9"))

    loaded = report(str(page), str(SOURCES / KONTEXT_SEACLOUD), "--spec", str(SPEC))

    assert drift(loaded) == {("conflict", "safety_tolerance", "maximum")}
    (row,) = [d for d in loaded["differences"] if d["kind"] == "conflict"]
    assert row["docs"] == {KONTEXT_ODIROUTER: 9, KONTEXT_SEACLOUD: 6}


def test_html_and_markdown_renditions_of_a_page_are_read_the_same_way(tmp_path: Path) -> None:
    text = (SOURCES / KONTEXT_SEACLOUD).read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    html = (
        "<!doctype html><html><body><main>"
        + "".join(
            f"<p>{p.replace('<', '&lt;')}</p>" if not p.startswith("curl") else f"<pre><code>{p}</code></pre>"
            for p in paragraphs
        )
        + "</main></body></html>"
    )
    (tmp_path / "004_a8639ec7ecb0d597.html").write_text(
        html.replace("Range: 0 &lt;= x &lt;= 6", "Range: 0 &lt;= x &lt;= 8"), encoding="utf-8"
    )
    markdown = "\n\n".join(
        f"### `{p.split()[0]}` {' '.join(p.split()[1:])}" if p.split()[0] in {"prompt", "seed"} else p
        for p in paragraphs
    )
    (tmp_path / "004_a8639ec7ecb0d597.md").write_text(
        markdown.replace("Options: jpeg, png", "Options: jpeg, png, gif"), encoding="utf-8"
    )

    from_html = report(str(tmp_path / "004_a8639ec7ecb0d597.html"), "--spec", str(SPEC))
    from_markdown = report(str(tmp_path / "004_a8639ec7ecb0d597.md"), "--spec", str(SPEC))

    assert drift(from_html) == {("changed", "safety_tolerance", "maximum")}
    assert drift(from_markdown) == {("changed", "output_format", "enum")}


def test_an_unreadable_page_exits_2(tmp_path: Path) -> None:
    (tmp_path / "blank.txt").write_text("Nothing to see here.\n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\xff\xfe\x00\x81")

    assert docs_diff(str(tmp_path / "blank.txt"), "--spec", str(SPEC))[0] == 2
    assert docs_diff(str(tmp_path / "binary.txt"), "--spec", str(SPEC))[0] == 2
    assert docs_diff(str(tmp_path / "missing.txt"), "--spec", str(SPEC))[0] == 2
    code, out = docs_diff(str(SOURCES / KONTEXT_ODIROUTER), "--model", "flux_2_pro", "--spec", str(SPEC))
    assert code == 2
    assert "no page documents flux_2_pro" in out


def test_a_model_the_spec_lacks_is_new(tmp_path: Path) -> None:
    text = (SOURCES / PRO_11_ODIROUTER).read_text(encoding="utf-8").replace("flux_pro_11", "flux_pro_12")
    (tmp_path / "page.txt").write_text(text, encoding="utf-8")

    loaded = report(str(tmp_path / "page.txt"), "--spec", str(SPEC))

    assert drift(loaded) == {("new", None, "model")}


def test_patch_writes_the_edits_keeping_everything_else(tmp_path: Path) -> None:
    spec = tmp_path / "fluxq.openapi.yaml"
    shutil.copy(SPEC, spec)
    page = edited(tmp_path, PRO_11_ODIROUTER, *PRO_11_EDITS)
    original = spec.read_text(encoding="utf-8").splitlines()

    code, out = docs_diff(str(page), "--spec", str(spec), "--patch")

    assert code == 1
    assert "remaining steps:" in out
    assert "scripts/regenerate" in out
    assert docs_diff(str(page), "--spec", str(spec))[0] == 0
    patched = spec.read_text(encoding="utf-8").splitlines()
    kept = [line for line in original if line in patched]
    # Only the edited parameters' lines went away (seed's property and example, width's maximum, the enum).
    gone = [line for line in original if line not in patched]
    assert len(kept) > len(original) - 12, gone
    assert all(
        any(word in line for word in ("seed", "1440", "jpeg, png", "x-fluxq-source")) for line in gone
    ), gone
    assert original[:30] == patched[:30]


def test_outside_a_checkout_the_spec_must_be_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no spec/fluxq.openapi.yaml here

    code, out = docs_diff(str(SOURCES / PRO_11_ODIROUTER), "--patch")

    assert code == 2
    assert "pass --spec PATH" in out
    assert docs_diff(str(SOURCES / PRO_11_ODIROUTER), "--spec", str(SPEC))[0] == 0


def test_a_reworded_page_in_another_locale_is_still_understood(tmp_path: Path) -> None:
    # The parser reads structure, not wording: English headings and new descriptions change nothing,
    # and the one real change (a lower minimum) is still found on the right parameter.
    page = edited(
        tmp_path,
        "002_02b6eb1e90c8a5d9.txt",
        ("Эндпоинты\nЗаголовок раздела «Эндпоинты»", "Endpoints\nSection titled “Endpoints”"),
        ("Параметры запроса\nЗаголовок раздела «Параметры запроса»", "Request\nSection titled “Request”"),
        ("Параметры ответа\nЗаголовок раздела «Параметры ответа»", "Response\nSection titled “Response”"),
        (
            "Output image width. Must be a multiple of 32.",
            "Width of the generated image. Must be a multiple of 32.",
        ),
        ("Random seed used to reproduce results, for example 42.", "Seed for reproducible generations."),
        ("Text prompt.", "The prompt describing the image."),
        (
            "Output image height. Must be a multiple of 32.\nMinimum: 64",
            "Height in pixels, a multiple of 32.\nMinimum: 32",
        ),
    )

    loaded = report(str(page), "--spec", str(SPEC))

    assert drift(loaded) == {("changed", "height", "minimum")}
