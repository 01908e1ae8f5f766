"""``fluxq docs-diff``: compare provider model pages with the spec, and patch the spec.

Loaded only by that CLI command (it needs ``ruamel.yaml``, from the ``docs`` extra). Modules:
`text` (page files to lines), `page` (lines to facts), `naming` (names for blocks whose names the
text extraction lost), `spec_view` (the spec's side), `compare` (differences and their kind),
`patch` (round-trip edits) and `report` (table, JSON).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .compare import DRIFT_KINDS, Difference, compare
from .page import Page, parse_page
from .text import PageUnreadable

EXIT_AGREE = 0
EXIT_DRIFT = 1
EXIT_UNREADABLE = 2

__all__ = ["EXIT_AGREE", "EXIT_DRIFT", "EXIT_UNREADABLE", "Difference", "Page", "PageUnreadable", "docs_diff"]


def docs_diff(
    paths: Sequence[Path],
    spec_path: Path,
    *,
    model: str | None = None,
    json_output: bool = False,
    patch: bool = False,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Compare `paths` with the spec at `spec_path`; print the report; return the exit code.

    Exit codes: 0 the pages agree (or differ only where the spec marks a choice), 1 drift,
    2 a page or the spec cannot be read (or no page documents `model`).
    """
    from . import report
    from .spec_view import load_spec

    out = out or sys.stdout
    err = err or sys.stderr
    try:
        pages = [parse_page(path) for path in paths]
    except PageUnreadable as error:
        print(f"fluxq docs-diff: cannot read the page: {error}", file=err)
        return EXIT_UNREADABLE
    if model is not None and not any(page.model == model for page in pages):
        shown = ", ".join(sorted({page.model for page in pages}))
        print(f"fluxq docs-diff: no page documents {model} (the pages document {shown})", file=err)
        return EXIT_UNREADABLE
    try:
        spec = load_spec(spec_path)
    except Exception as error:  # a missing file or any YAML error: report it, never a traceback
        print(f"fluxq docs-diff: cannot read the spec {spec_path}: {error}", file=err)
        return EXIT_UNREADABLE
    label = str(spec_path)
    differences = compare(spec, label, pages, model)
    code = EXIT_DRIFT if any(d.kind in DRIFT_KINDS for d in differences) else EXIT_AGREE
    if json_output:
        print(report.as_json(differences, [str(p) for p in paths], code), file=out)
    else:
        print(report.as_table(differences), file=out)
    if patch and code == EXIT_DRIFT:
        from .patch import apply, remaining_steps
        from .yaml_io import dumps

        result = apply(spec, differences, [p for p in pages if model is None or p.model == model])
        spec_path.write_text(dumps(spec), encoding="utf-8")
        stream = err if json_output else out
        print(f"\npatched {spec_path}:", file=stream)
        for line in result.applied:
            print(f"  - {line}", file=stream)
        print("remaining steps:", file=stream)
        for number, step in enumerate(remaining_steps(result, pages, spec_path), 1):
            print(f"  {number}. {step}", file=stream)
    return code
