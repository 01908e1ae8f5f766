"""Figures, goals and tables: what every section returns, printed as text and written as JSON."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Comparison = Literal["<=", ">=", "<", ">"]
_OPERATORS: dict[Comparison, Callable[[float, float], bool]] = {
    "<=": operator.le,
    ">=": operator.ge,
    "<": operator.lt,
    ">": operator.gt,
}
_SYMBOLS: dict[Comparison, str] = {"<=": "≤", ">=": "≥", "<": "<", ">": ">"}


@dataclass(frozen=True)
class Goal:
    """A target a figure must meet, e.g. ``Goal("<=", 0.5, "s")``."""

    comparison: Comparison
    target: float
    unit: str = ""

    def met_by(self, value: float) -> bool:
        """Return whether ``value`` meets the goal."""
        return _OPERATORS[self.comparison](value, self.target)

    def __str__(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"{_SYMBOLS[self.comparison]} {self.target:g}{unit}"


@dataclass(frozen=True)
class Figure:
    """One measured number, with its goal if it has one.

    Attributes:
        name: What was measured.
        value: The number, or None when it could not be measured.
        unit: Its unit ("" for plain ratios and counts).
        goal: The target it must meet, if any.
        note: Context for the reader; for a missing value, the reason (printed as "n/a (note)").
    """

    name: str
    value: float | None
    unit: str = ""
    goal: Goal | None = None
    note: str = ""

    @property
    def passed(self) -> bool | None:
        """True or False against the goal; None when there is no goal or no value."""
        if self.goal is None or self.value is None:
            return None
        return self.goal.met_by(self.value)

    def to_json(self) -> dict[str, Any]:
        """Return the figure as a JSON-ready dict."""
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "goal": str(self.goal) if self.goal else None,
            "passed": self.passed,
            "note": self.note,
        }


def unavailable(name: str, reason: str, goal: Goal | None = None) -> Figure:
    """Return a figure that could not be measured, and why."""
    return Figure(name=name, value=None, goal=goal, note=reason)


@dataclass(frozen=True)
class Table:
    """A table of supporting numbers (no goals), e.g. one row per polling policy."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def to_json(self) -> dict[str, Any]:
        """Return the table as a JSON-ready dict."""
        return {"title": self.title, "headers": list(self.headers), "rows": [list(r) for r in self.rows]}


@dataclass(frozen=True)
class Section:
    """What one benchmark section measured."""

    name: str
    figures: tuple[Figure, ...]
    tables: tuple[Table, ...] = ()
    notes: tuple[str, ...] = field(default=())
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        """Return the section as a JSON-ready dict."""
        return {
            "figures": [f.to_json() for f in self.figures],
            "tables": [t.to_json() for t in self.tables],
            "notes": list(self.notes),
            "seconds": round(self.seconds, 2),
        }


def format_value(value: float | None, unit: str) -> str:
    """Format a figure's value with three significant digits (or "n/a")."""
    if value is None:
        return "n/a"
    text = f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return f"{text} {unit}".rstrip()


def mark(passed: bool | None) -> str:
    """Return the pass/miss mark printed beside a figure."""
    return {True: "pass", False: "MISS", None: ""}[passed]


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Lay out rows in aligned, left-justified columns."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend(
        "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    )
    return lines


def render_section(section: Section) -> str:
    """Return a section as plain text: its figures with goal and mark, then its tables."""
    lines = [f"== {section.name} ({section.seconds:.1f} s)"]
    figure_rows = [
        (
            f.name,
            format_value(f.value, f.unit) if f.value is not None else f"n/a ({f.note})",
            str(f.goal) if f.goal else "",
            mark(f.passed),
            f.note if f.value is not None else "",
        )
        for f in section.figures
    ]
    if figure_rows:
        lines.extend(render_table(("figure", "value", "goal", "", "note"), figure_rows))
    for table in section.tables:
        lines.append("")
        lines.append(f"-- {table.title}")
        lines.extend(render_table(table.headers, table.rows))
    lines.extend(f"note: {n}" for n in section.notes)
    return "\n".join(lines)
