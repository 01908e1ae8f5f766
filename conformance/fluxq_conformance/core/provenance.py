"""Where a spec constraint comes from: the ``x-fluxq-source`` annotations, read as a basis.

An annotation is ``{basis, page?, quote?, about?}`` or a list of them (``spec/sources`` holds the
pages). The tier of a finding follows from the basis of the constraint it is about (contract §8),
so the spec, not code, decides whether breaking ``prompt``'s ``minLength`` fails or warns.

How one keyword's basis is read from a node's entries:

1. a ``choice`` entry without a page that names the keyword in ``about`` means "fluxq decides this
   where the pages are silent": the basis is ``choice``;
2. otherwise the strongest of the entries that cover the keyword (``about`` names it, or the entry
   has no ``about``): ``documented`` > ``evidence`` > ``choice``. A ``choice`` entry *with* a page
   records a source the spec did not follow (a discrepancy), so it never weakens a documented rule;
3. no covering entry: ``choice`` (nothing documents it).
"""

from __future__ import annotations

from typing import Any

STRENGTH = {"documented": 2, "evidence": 1, "choice": 0}


def entries(node: Any) -> list[dict[str, Any]]:
    """The ``x-fluxq-source`` entries of a spec node (``[]`` when it has none)."""
    if not isinstance(node, dict):
        return []
    raw = node.get("x-fluxq-source")
    if isinstance(raw, dict):
        return [raw]
    if isinstance(raw, list):
        return [entry for entry in raw if isinstance(entry, dict)]
    return []


def basis_of(node: Any, keyword: str) -> str:
    """The basis of ``keyword`` (``maximum``, ``minLength``, ``type``, ``required``...) at ``node``."""
    found = entries(node)
    decided = [
        entry
        for entry in found
        if entry.get("basis") == "choice" and not entry.get("page") and keyword in entry.get("about", ())
    ]
    if decided:
        return "choice"
    covering = [entry for entry in found if "about" not in entry or keyword in entry.get("about", ())]
    bases = [str(entry.get("basis")) for entry in covering if entry.get("basis") in STRENGTH]
    if not bases:
        return "choice"
    return max(bases, key=STRENGTH.__getitem__)


def strongest(bases: list[str]) -> str:
    """The strongest of several bases (``choice`` for none)."""
    return max(bases, key=STRENGTH.__getitem__) if bases else "choice"
