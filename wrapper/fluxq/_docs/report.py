"""Print differences as a table or as JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .compare import ABSENT, DRIFT_KINDS, Difference

_LABELS = {
    "changed": "changed in the docs",
    "new": "new",
    "removed": "removed",
    "conflict": "sources conflict",
    "choice": "spec-only choice",
}


def _plain(value: Any) -> Any:
    if value is ABSENT:
        return None
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _short(value: Any) -> str:
    if value is ABSENT:
        return "—"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_short(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_short(v)}" for k, v in value.items()) + "}"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def as_json(differences: Sequence[Difference], pages: Sequence[str], exit_code: int) -> str:
    """One JSON object: ``{"agree": bool, "exit_code": n, "pages": [...], "differences": [...]}``.

    A value the page or spec does not state is ``null``.
    """
    rows = [
        {
            "kind": d.kind,
            "model": d.model,
            "parameter": d.parameter,
            "field": d.field,
            "docs": _plain(d.docs),
            "spec": _plain(d.spec),
            "location": d.location,
            "note": d.note,
        }
        for d in differences
    ]
    return json.dumps(
        {"agree": exit_code == 0, "exit_code": exit_code, "pages": list(pages), "differences": rows},
        indent=2,
        ensure_ascii=False,
    )


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def as_table(differences: Sequence[Difference]) -> str:
    """An aligned text table, one difference per row."""
    if not differences:
        return "the pages agree with the spec"
    header = ("kind", "model", "parameter", "field", "docs", "spec", "spec location")
    rows = [
        (
            _LABELS[d.kind],
            d.model,
            d.parameter or "",
            d.field,
            "; ".join(f"{page}: {_short(v)}" for page, v in d.docs.items())
            if len(d.docs) > 1
            else _short(next(iter(d.docs.values()), ABSENT)),
            _short(d.spec),
            d.location,
        )
        for d in differences
    ]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    widths = [min(width, 48) for width in widths[:-1]] + widths[-1:]  # the location is never cut
    lines = [
        "  ".join(
            _cut(str(cell), width).ljust(width) for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    drift = sum(d.kind in DRIFT_KINDS for d in differences)
    lines.append(f"{drift} difference(s) to act on, {len(differences) - drift} spec-only choice(s)")
    return "\n".join(lines)
