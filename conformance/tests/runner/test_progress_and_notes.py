"""Live progress on stderr (phase, rows judged, tasks created) and every target saying what it skipped."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from fluxq_conformance.cli import main
from fluxq_conformance.report.progress import LiveProgress


def test_a_run_shows_its_phases_on_stderr_and_says_what_it_left_out(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--only", "auth,lifecycle", "--poll-interval", "0.05"]) == 0
    captured = capsys.readouterr()
    progress = [line for line in captured.err.splitlines() if line.startswith("… ")]
    assert [line.split(":", 1)[0] for line in progress] == ["… auth", "… lifecycle"]
    assert "tasks created" in progress[-1]
    assert "rows judged" in progress[-1]
    assert "…" not in captured.out  # the report on stdout stays clean
    assert "note: not run: outputs, schema, client (--only auth,lifecycle)" in captured.out


def test_replay_says_which_sections_and_checks_it_left_out(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--cassettes", "reference"]) == 0
    out = capsys.readouterr().out
    assert "not run on recordings: schema" in out
    assert "client" in out
    assert "skipped 3 rows: not judged on recordings (timing is not recorded) (lifecycle.deadline)" in out


def test_progress_in_a_log_prints_a_line_per_phase() -> None:
    log = io.StringIO()
    with LiveProgress(Console(file=log, width=200)) as progress:
        for line in ("lifecycle: 1/3 scenarios done", "lifecycle: 2/3 scenarios done", "schema: examples"):
            progress(line)
    assert log.getvalue().splitlines() == ["… lifecycle: 1/3 scenarios done", "… schema: examples"]


def _interrupted_run(console: Console) -> None:
    with LiveProgress(console) as progress:
        progress("lifecycle: 1/3 scenarios done")
        raise KeyboardInterrupt


def test_progress_on_a_terminal_leaves_no_spinner_behind_even_on_ctrl_c() -> None:
    screen = io.StringIO()
    with pytest.raises(KeyboardInterrupt):
        _interrupted_run(Console(file=screen, force_terminal=True, width=80))
    written = screen.getvalue()
    assert "lifecycle: 1/3 scenarios done" in written
    assert "\x1b[?25h" in written  # the cursor is shown again
    assert written.endswith("\x1b[2K")  # and the last thing done is erasing the spinner's line
