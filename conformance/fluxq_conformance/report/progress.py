"""Live progress on stderr while a run works: phase, rows judged, tasks created.

On a terminal it is one transient spinner line, rewritten in place and erased when the run ends (also
on Ctrl-C, so no frozen spinner is left behind). In a pipe or a CI log it prints a line only when
the phase changes, so logs stay short. The report itself goes to stdout, untouched by either.
"""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.markup import escape
from rich.status import Status


def phase_of(line: str) -> str:
    """The phase a progress line is about: the words before its first ``:``."""
    return line.split(":", 1)[0].strip()


class LiveProgress:
    """A progress callback (``progress(line)``) and the context that owns its display."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.lines: list[str] = []
        self._status: Status | None = None
        self._phase: str | None = None

    def __enter__(self) -> LiveProgress:
        if self.console.is_terminal:
            self._status = Status("starting…", console=self.console, spinner="dots")
            self._status.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._status is not None:
            self._status.stop()  # a transient line: nothing stays on the screen
            self._status = None

    def __call__(self, line: str) -> None:
        """Show one progress line."""
        self.lines.append(line)
        if self._status is not None:
            self._status.update(escape(line))
            return
        phase = phase_of(line)
        if phase != self._phase:
            self._phase = phase
            self.console.print(f"… {escape(line)}", highlight=False, soft_wrap=True)
