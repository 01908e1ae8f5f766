"""Write the docs' differences into the spec, keeping comments, key order and quoting.

Only what the pages state unambiguously is written: ``changed``, ``new`` (named) and ``removed``.
Conflicts, choices, unnamed parameters, size limits (kept in descriptions) and new models are left
for a person, and listed in the remaining steps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .compare import ABSENT, Difference
from .page import Page
from .spec_view import spec_model

_SCHEMA_KEYWORDS = (
    "enum",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
)
_ORDER = (
    "type",
    "minLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "enum",
    "default",
)


@dataclass
class PatchResult:
    """What `apply` wrote and what is left to do."""

    applied: list[str] = field(default_factory=list)
    remaining: list[str] = field(default_factory=list)


def _flow(items: Sequence[Any]) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _source(page: str, quote: str) -> Any:
    from ruamel.yaml.comments import CommentedMap

    entry = CommentedMap([("basis", "documented"), ("page", page), ("quote", quote)])
    entry.fa.set_flow_style()
    return entry


def _cite(node: Any, page: str, quote: str) -> None:
    from ruamel.yaml.comments import CommentedSeq

    sources = node.get("x-fluxq-source")
    if sources is None:
        node["x-fluxq-source"] = CommentedSeq([_source(page, quote)])
        return
    if not isinstance(sources, list):
        sources = CommentedSeq([sources])
        node["x-fluxq-source"] = sources
    if not any(s.get("page") == page and s.get("quote") == quote for s in sources):
        sources.append(_source(page, quote))


def _set(node: Any, key: str, value: Any) -> None:
    if key in node:
        node[key] = _flow(value) if isinstance(value, list) else value
        return
    # Place a new keyword next to its kin, before the description, the way the spec is written.
    keys = list(node)
    position = len(keys)
    if key in _ORDER:
        later = [k for k in keys if k in _ORDER and _ORDER.index(k) > _ORDER.index(key)]
        if later:
            position = keys.index(later[0])
        elif "description" in keys:
            position = keys.index("description")
    node.insert(position, key, _flow(value) if isinstance(value, list) else value)


def _set_type(node: Any, type_: str, nullable: bool) -> None:
    _set(node, "type", [type_, "null"] if nullable else type_)


def _new_property(facts: dict[str, Any], description: str) -> Any:
    from ruamel.yaml.comments import CommentedMap

    node = CommentedMap()
    if facts.get("type") not in {None, "any"}:
        node["type"] = [facts["type"], "null"] if facts.get("nullable") else facts["type"]
    for keyword in (
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "enum",
        "default",
    ):
        if keyword in facts:
            node[keyword] = _flow(facts[keyword]) if keyword == "enum" else facts[keyword]
    node["description"] = description
    return node


def _required_list(schema: Any) -> Any:
    if "required" not in schema:
        schema.insert(
            list(schema).index("properties") if "properties" in schema else len(schema), "required", _flow([])
        )
    return schema["required"]


def apply(spec: Any, differences: Sequence[Difference], pages: Sequence[Page]) -> PatchResult:
    """Edit the round-trip `spec` tree in place; return what was done and what remains."""
    result = PatchResult()
    touched_refs: set[str] = set()
    for difference in differences:
        view = spec_model(spec, difference.model)
        where = f"{difference.model}.{difference.parameter}" if difference.parameter else difference.model
        if view is None or difference.kind in {"conflict", "choice"} or difference.parameter in {None, "?"}:
            if difference.kind != "choice":
                result.remaining.append(
                    f"decide by hand: {difference.kind} {where} {difference.field} "
                    f"({difference.note or 'see the table'})"
                )
            continue
        schema = view.schema
        name = difference.parameter
        assert name is not None
        page_name, block = next(iter(difference.blocks.items()), (None, None))
        if difference.kind == "removed":
            del schema["properties"][name]
            if name in schema.get("required", []):
                schema["required"].remove(name)
            if view.example_node is not None and name in view.example_node["value"]:
                del view.example_node["value"][name]
            result.applied.append(f"removed {where}")
            continue
        if difference.kind == "new":
            assert block is not None
            assert page_name is not None
            properties = schema["properties"]
            page = next(p for p in pages if p.path.name == page_name)
            order = [b.name for b in page.blocks]
            before = [n for n in order[: order.index(name)] if n in properties]
            position = list(properties).index(before[-1]) + 1 if before else len(properties)
            node = _new_property(block.facts, block.description)
            properties.insert(position, name, node)
            _cite(node, page_name, block.text)
            if block.facts.get("required"):
                _required_list(schema).append(name)
            result.applied.append(f"added {where} ({node.get('type', 'untyped')})")
            continue
        param = view.params[name]
        node = param.node
        keyword, value = difference.field, next(iter(difference.docs.values()))
        if param.via_ref:
            touched_refs.add(param.via_ref)
        if keyword == "maxSize":
            result.remaining.append(
                f"size limit of {where}: the docs say {value!r} MB; edit its description by hand"
            )
            continue
        if keyword == "required":
            required = _required_list(schema)
            if value and name not in required:
                required.append(name)
            elif not value and name in required:
                required.remove(name)
        elif keyword == "type":
            if value == "any":
                result.remaining.append(f"{where}: the docs type it 'any'; decide the type by hand")
                continue
            _set_type(node, value, bool(param.facts.get("nullable")))
        elif keyword == "nullable":
            _set_type(node, str(param.facts.get("type", "string")), bool(value))
        elif keyword in _SCHEMA_KEYWORDS:
            if value is ABSENT:
                node.pop(keyword, None)
            else:
                _set(node, keyword, value)
        if page_name is not None and block is not None:
            _cite(
                spec["components"]["schemas"][view.schema_name]["properties"][name]
                if not param.via_ref
                else node,
                page_name,
                block.text,
            )
        result.applied.append(f"{where}: {keyword} → {value!r}")
    for page in pages:
        view = spec_model(spec, page.model)
        if view is None or view.example_node is None or page.example is None:
            continue
        current = view.example_node["value"]
        if set(current) != set(page.example) and all(
            key in view.schema["properties"] for key in page.example
        ):
            for key in list(current):
                if key not in page.example:
                    del current[key]
            for key, value in page.example.items():
                if key not in current:
                    current[key] = value
            result.applied.append(f"{page.model}: documented example follows {page.path.name}'s curl body")
    for ref in sorted(touched_refs):
        result.remaining.append(
            f"#/components/schemas/{ref} is shared by several properties: check the others still fit"
        )
    return result


def remaining_steps(result: PatchResult, pages: Sequence[Page], spec_path: Path) -> list[str]:
    """The steps after a patch, in order."""
    steps = list(result.remaining)
    names = ", ".join(sorted({page.path.name for page in pages}))
    steps += [
        f"copy the page(s) ({names}) into spec/sources/ and list them in spec/sources/index.yaml "
        "(the new x-fluxq-source quotes point at them; spec/tests/test_sources.py checks them)",
        f"review the descriptions in {spec_path} (they may still quote the old ranges or options)",
        "scripts/regenerate (generated clients, models and the wrapper's per-model layer)",
        "scripts/check-generated && scripts/test",
        "commit the spec, spec/sources and generated/ together",
    ]
    return steps
