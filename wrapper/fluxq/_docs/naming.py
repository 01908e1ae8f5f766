"""Name the parameter blocks of a page whose text lost the names.

Each unnamed block is matched to a candidate name: the spec's properties (recognised by their
descriptions and the quotes the spec keeps from earlier pages) and the keys of the page's curl
example (recognised by the words of the name in the description, and by the example value's type).
The page lists parameters in the same order as the spec and the curl example, so the matching is
an order-preserving alignment (dynamic programming over blocks × names).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher
from typing import Any

from .page import Block

MIN_SCORE = 0.45


def json_type(value: Any) -> str | None:
    """The JSON Schema type of an example value."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return None


def _words(text: str) -> list[str]:
    return [word[:6] for word in re.findall(r"[a-z]+", text.lower())]


def _word_score(name: str, description: str) -> float:
    parts = [part[:6] for part in re.findall(r"[a-z]+", name.lower()) if len(part) > 1]
    if not parts:
        return 0.0
    words = set(_words(description))
    return sum(part in words for part in parts) / len(parts)


def _text_score(description: str, texts: Sequence[str]) -> float:
    lowered = description.lower()
    best = 0.0
    for text in texts:
        candidate = text.lower()
        if lowered and (lowered in candidate or candidate in lowered):
            best = max(
                best, 0.5 + 0.5 * min(len(lowered), len(candidate)) / max(len(lowered), len(candidate))
            )
        best = max(best, SequenceMatcher(None, lowered, candidate).ratio())
    return best


def implied_type(block: Block) -> str | None:
    """The type the block's attributes imply (an enum of words → string, a boolean default → boolean…)."""
    facts = block.facts
    if facts.get("enum"):
        return json_type(facts["enum"][0])
    if "default" in facts:
        return json_type(facts["default"])
    bounds = [facts[k] for k in ("minimum", "maximum") if k in facts]
    if bounds:
        return "integer" if all(isinstance(b, int) for b in bounds) else "number"
    return None


def _score(block: Block, name: str, texts: Sequence[str], example: Mapping[str, Any]) -> float:
    score = max(_text_score(block.description, texts), 0.9 * _word_score(name, block.description))
    if name in example:
        implied, shown = implied_type(block), json_type(example[name])
        if implied and shown and implied != shown and {implied, shown} != {"integer", "number"}:
            return 0.0
        if not texts:
            # A key the spec does not know yet: its place in the example is the evidence.
            score = max(score, 0.35)
        score += 0.15 + (0.1 if implied and implied == shown else 0.0)
    return score


def candidate_order(spec_names: Sequence[str], example: Mapping[str, Any]) -> list[str]:
    """Spec property names, with curl keys unknown to the spec inserted after their predecessor."""
    order = list(spec_names)
    previous: str | None = None
    for key in example:
        if key not in order:
            order.insert(order.index(previous) + 1 if previous in order else len(order), key)
        previous = key
    return order


def name_blocks(
    blocks: Sequence[Block], spec_texts: Mapping[str, Sequence[str]], example: Mapping[str, Any]
) -> None:
    """Fill in the names of unnamed `blocks` in place (blocks that match nothing stay unnamed)."""
    names = candidate_order(list(spec_texts), example)
    rows, cols = len(blocks), len(names)
    scores = [[_score(block, name, spec_texts.get(name, ()), example) for name in names] for block in blocks]
    best = [[0.0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            take = scores[i][j] + best[i + 1][j + 1] if scores[i][j] >= MIN_SCORE else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    i = j = 0
    while i < rows and j < cols:
        if scores[i][j] >= MIN_SCORE and best[i][j] == scores[i][j] + best[i + 1][j + 1]:
            blocks[i].name = names[j]
            blocks[i].named_by = "curl" if names[j] in example else "description"
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1


def complete_types(blocks: Sequence[Block], example: Mapping[str, Any]) -> None:
    """Give named blocks the type their curl example value or their attributes show."""
    for block in blocks:
        if "type" in block.facts or block.name is None:
            continue
        shown = json_type(example[block.name]) if block.name in example else None
        if shown is None:
            shown = implied_type(block)
        if shown is not None:
            block.facts["type"] = shown
