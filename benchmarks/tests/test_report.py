"""Goals, figures and the text/JSON renderings of a section."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.memory import growth_ratio, peak_during
from benchmarks.report import Figure, Goal, Section, Table, render_section, unavailable
from benchmarks.tooling import count_differing_files


@pytest.mark.parametrize(
    ("goal", "value", "met"),
    [
        (Goal("<=", 0.5), 0.5, True),
        (Goal("<=", 0.5), 0.51, False),
        (Goal("<", 1.0), 1.0, False),
        (Goal("<", 1.0), 0.99, True),
        (Goal(">=", 2), 2, True),
    ],
)
def test_goal_is_met_only_on_its_side_of_the_target(goal: Goal, value: float, met: bool) -> None:
    assert goal.met_by(value) is met


def test_figure_without_value_or_goal_has_no_mark() -> None:
    assert unavailable("x", "not built yet", Goal("<=", 1)).passed is None
    assert Figure("x", 3.0).passed is None
    assert Figure("x", 3.0, goal=Goal("<=", 1)).passed is False


def test_section_renders_goal_mark_and_reason() -> None:
    section = Section(
        "demo",
        (
            Figure("ratio", 0.42, goal=Goal("<=", 0.6)),
            Figure("delay", 2.0, "s", Goal("<=", 1.5, "s")),
            unavailable("later", "wrapper not importable"),
        ),
        (Table("rows", ("a", "b"), (("1", "2"),)),),
    )
    text = render_section(section)
    ratio_line = next(line for line in text.splitlines() if line.startswith("ratio"))
    delay_line = next(line for line in text.splitlines() if line.startswith("delay"))
    assert "≤ 0.6" in ratio_line
    assert "pass" in ratio_line
    assert "MISS" in delay_line
    assert "n/a (wrapper not importable)" in text
    payload = json.loads(json.dumps(section.to_json()))
    assert [f["passed"] for f in payload["figures"]] == [True, False, None]
    assert payload["tables"][0]["rows"] == [["1", "2"]]


def test_memory_growth_ignores_a_kernel_peak_set_before_the_submit() -> None:
    mib = 1024 * 1024
    before_submit_peak = {
        "before_rss": 100 * mib,
        "before_peak": 180 * mib,
        "after_peak": 180 * mib,  # unchanged: set before the submit, not by it
        "sampled_peak": 110 * mib,
        "image_bytes": 80 * mib,
    }
    assert peak_during(before_submit_peak) == 110 * mib
    assert growth_ratio(before_submit_peak) == pytest.approx(10 / 80)
    rose = {**before_submit_peak, "after_peak": 300 * mib}
    assert growth_ratio(rose) == pytest.approx(200 / 80)


def test_differing_files_counts_changes_and_one_sided_files(tmp_path: Path) -> None:
    left, right = tmp_path / "left", tmp_path / "right"
    for root in (left, right):
        (root / "pkg").mkdir(parents=True)
        (root / "pkg" / "same.py").write_text("x = 1\n")
    (left / "pkg" / "changed.py").write_text("a\n")
    (right / "pkg" / "changed.py").write_text("b\n")
    (left / "only_left.py").write_text("")
    (right / "pkg" / "__pycache__").mkdir()
    assert count_differing_files(left, right) == 2
