"""Compare what pages document with what the spec says, and classify each difference.

Kinds (`KINDS`): ``changed`` (the docs now say something else), ``new`` (a parameter or model the
spec lacks), ``removed`` (the spec has a parameter no page shows), ``conflict`` (the pages disagree
with each other), ``choice`` (the spec decides where the pages are silent or differ, and says so
with an ``x-fluxq-source`` entry of basis ``choice``). Only ``choice`` differences leave the spec
in agreement with the docs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .naming import complete_types, name_blocks
from .page import Block, Page
from .spec_view import FACT_KEYWORDS, SpecModel, SpecParam, spec_model

KINDS = ("changed", "new", "removed", "conflict", "choice")
DRIFT_KINDS = frozenset({"changed", "new", "removed", "conflict"})


class _Absent:
    """A constraint the page or the spec does not state."""

    def __repr__(self) -> str:
        return "(not stated)"


ABSENT: Any = _Absent()


@dataclass
class Difference:
    """One difference between the docs and the spec.

    Attributes:
        kind: One of `KINDS`.
        model: The model id.
        parameter: The parameter (``?`` for a block the page does not name), or None for the model.
        field: The compared fact (``type``, ``maximum``, ``enum``…, ``parameter``, ``endpoints``, ``auth``).
        docs: What each page says, by page file name.
        spec: What the spec says.
        location: Where in the spec (``file:line #/json/pointer``).
        note: A short explanation.
    """

    kind: str
    model: str
    parameter: str | None
    field: str
    docs: dict[str, Any]
    spec: Any
    location: str
    note: str = ""
    blocks: dict[str, Block] = dataclasses.field(default_factory=dict, repr=False)


def _pointer(model: SpecModel, param: SpecParam | None, keyword: str | None = None) -> str:
    if param is None:
        base = f"#/components/schemas/{model.schema_name}"
    elif param.via_ref:
        base = f"#/components/schemas/{param.via_ref}"
    else:
        base = f"#/components/schemas/{model.schema_name}/properties/{param.name}"
    if keyword == "required":
        return f"#/components/schemas/{model.schema_name}/required"
    return f"{base}/{keyword}" if keyword and keyword not in {"parameter", "maxSize"} else base


def _line(node: Any, key: str, fallback: int) -> int:
    try:
        return int(node.lc.key(key)[0]) + 1
    except (AttributeError, KeyError, TypeError):
        return fallback


def _page_value(page: Page, block: Block, keyword: str) -> Any:
    if keyword in {"type", "required"} and (keyword not in block.facts):
        return None  # unknown: the page's text does not show it
    if keyword == "type" and block.facts["type"] == "any" and not page.names_on_page:
        return None
    return block.facts.get(keyword, ABSENT)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return sorted(map(str, a)) == sorted(map(str, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return bool(a == b)
    return type(a) is type(b) and bool(a == b)


def _acknowledged(param: SpecParam, keyword: str, page_name: str | None) -> bool:
    """Whether the spec marks `keyword` of `param` as its own choice (for this page, or for all)."""
    for source in param.sources:
        if source.basis != "choice" or keyword not in source.about:
            continue
        # The same snapshot in another rendition (.html, .md) counts as the same page.
        if source.page is None or (page_name and Path(source.page).stem == Path(page_name).stem):
            return True
    return False


class Comparison:
    """Builds the differences for one model from its pages."""

    def __init__(self, spec: Any, spec_label: str, model: str, pages: Sequence[Page]) -> None:
        self.spec_label = spec_label
        self.model = model
        self.pages = list(pages)
        self.view = spec_model(spec, model)
        self.differences: list[Difference] = []

    def _location(self, param: SpecParam | None, keyword: str | None) -> str:
        assert self.view is not None
        line = param.line if param else self.view.line
        if param is not None and keyword and keyword not in {"parameter", "maxSize", "required"}:
            line = _line(param.node, keyword, line)
        return f"{self.spec_label}:{line} {_pointer(self.view, param, keyword)}"

    def _add(
        self, kind: str, param: str | None, field_: str, docs: dict[str, Any], spec: Any, **extra: Any
    ) -> None:
        view_param = self.view.params.get(param) if self.view and param else None
        location = self._location(view_param, field_) if self.view else self.spec_label
        self.differences.append(Difference(kind, self.model, param, field_, docs, spec, location, **extra))

    def run(self) -> list[Difference]:
        """Compare; the result is in page order of parameters, then spec-only choices."""
        if self.view is None:
            self._add(
                "new",
                None,
                "model",
                {p.path.name: self.model for p in self.pages},
                ABSENT,
                note="the spec has no such model: add its paths and input schema",
            )
            return self.differences
        spec_texts = {name: param.texts for name, param in self.view.params.items()}
        per_page: list[dict[str, Block]] = []
        unnamed: list[tuple[Page, Block]] = []
        for page in self.pages:
            example = page.example or {}
            if not page.names_on_page:
                name_blocks(page.blocks, spec_texts, example)
            complete_types(page.blocks, example)
            named = {}
            for block in page.blocks:
                if block.name is None:
                    unnamed.append((page, block))
                else:
                    named[block.name] = block
            per_page.append(named)
        self._endpoints_and_auth()
        order = list(self.view.params)
        for named in per_page:
            order += [name for name in named if name not in order]
        for name in order:
            self._parameter(name, per_page)
        for page, block in unnamed:
            self._add(
                "new",
                "?",
                "parameter",
                {page.path.name: block.text},
                ABSENT,
                note="a parameter the page does not name (add it to the curl example or name it by hand)",
                blocks={page.path.name: block},
            )
        self._choices()
        return self.differences

    def _endpoints_and_auth(self) -> None:
        assert self.view is not None
        spec_endpoints = set(self.view.endpoints)
        for page in self.pages:
            shown = set(page.endpoints)
            if shown and shown != spec_endpoints:
                self._add(
                    "changed",
                    None,
                    "endpoints",
                    {page.path.name: sorted(shown)},
                    sorted(spec_endpoints),
                    note="the page's endpoints differ from the spec's paths",
                )
            unknown = [scheme for scheme in page.auth if scheme not in self.view.auth]
            if unknown:
                self._add(
                    "changed",
                    None,
                    "auth",
                    {page.path.name: page.auth},
                    self.view.auth,
                    note="an auth scheme the spec's security does not offer",
                )

    def _parameter(self, name: str, per_page: list[dict[str, Block]]) -> None:
        assert self.view is not None
        param = self.view.params.get(name)
        present = {
            page.path.name: named[name]
            for page, named in zip(self.pages, per_page, strict=True)
            if name in named
        }
        absent = [
            page.path.name for page, named in zip(self.pages, per_page, strict=True) if name not in named
        ]
        if param is None:
            first = next(iter(present.values()))
            self._add(
                "new",
                name,
                "parameter",
                {p: b.facts for p, b in present.items()},
                ABSENT,
                note=f"documented: {first.description}",
                blocks=present,
            )
            return
        if not present:
            kind = "choice" if _acknowledged(param, "parameter", None) else "removed"
            self._add(
                kind,
                name,
                "parameter",
                dict.fromkeys(absent, ABSENT),
                "present",
                note="no page shows this parameter",
            )
            return
        if absent:
            self._add(
                "conflict",
                name,
                "parameter",
                {**dict.fromkeys(present, "present"), **dict.fromkeys(absent, ABSENT)},
                "present",
                note="some pages show this parameter, others do not",
            )
        pages = {page.path.name: page for page in self.pages}
        for keyword in FACT_KEYWORDS:
            spec_value = param.facts.get(keyword, ABSENT)
            said = {
                page_name: value
                for page_name, block in present.items()
                if (value := _page_value(pages[page_name], block, keyword)) is not None
            }
            differing = {p: v for p, v in said.items() if not _same(v, spec_value)}
            if not differing:
                continue
            open_ = {p: v for p, v in differing.items() if not _acknowledged(param, keyword, p)}
            if not open_:
                self._add(
                    "choice",
                    name,
                    keyword,
                    differing,
                    spec_value,
                    note="the spec marks this as fluxq's choice",
                    blocks=present,
                )
                continue
            agreeing = len(said) - len(differing)
            values = {repr(v) for v in open_.values()}
            kind = "conflict" if agreeing or len(values) > 1 else "changed"
            self._add(
                kind,
                name,
                keyword,
                said if kind == "conflict" else open_,
                spec_value,
                note="the pages disagree" if kind == "conflict" else "",
                blocks=present,
            )

    def _choices(self) -> None:
        """Spec-only constraints the spec marks as choices (listed for information)."""
        assert self.view is not None
        seen = {(d.parameter, d.field) for d in self.differences}
        for param in self.view.params.values():
            for source in param.sources:
                if source.basis != "choice" or source.page is not None:
                    continue
                for keyword in source.about:
                    value = param.node.get(keyword, param.facts.get(keyword, ABSENT))
                    if value is ABSENT or (param.name, keyword) in seen:
                        continue
                    seen.add((param.name, keyword))
                    self._add(
                        "choice", param.name, keyword, {}, value, note="spec-only: the pages do not state it"
                    )


def compare(spec: Any, spec_label: str, pages: Sequence[Page], model: str | None = None) -> list[Difference]:
    """All differences between `pages` and the spec, model by model (page order)."""
    by_model: dict[str, list[Page]] = {}
    for page in pages:
        if model is None or page.model == model:
            by_model.setdefault(page.model, []).append(page)
    differences: list[Difference] = []
    for model_id, model_pages in by_model.items():
        differences += Comparison(spec, spec_label, model_id, model_pages).run()
    return differences


def page_names(paths: Sequence[Path]) -> list[str]:
    """Page file names as they appear in reports."""
    return [path.name for path in paths]
