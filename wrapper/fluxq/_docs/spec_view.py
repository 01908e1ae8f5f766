"""The spec's side of the comparison: one model's parameters as comparable facts, with locations.

Reads the round-trip YAML tree (so that `patch` can edit the same nodes and line numbers can be
reported). ``x-`` keys are annotations, never constraints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .page import SIZE_PATTERN, number
from .text import normalise_space

SPEC_TYPES = {"string", "integer", "number", "boolean", "array", "object"}
FACT_KEYWORDS = (
    "type",
    "required",
    "nullable",
    "enum",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "maxSize",
)


@dataclass
class Source:
    """One ``x-fluxq-source`` entry."""

    basis: str
    page: str | None
    quote: str | None
    about: tuple[str, ...]


@dataclass
class SpecParam:
    """One property of a model's input schema.

    Attributes:
        name: The property name.
        facts: Comparable facts (same keys as `Block.facts`; ``maxSize`` in megabytes).
        texts: Texts that describe it (description and quotes), used to recognise unnamed page blocks.
        sources: Its ``x-fluxq-source`` entries (and those of a referenced schema).
        node: The property's YAML node (a referenced schema's node for ``$ref`` properties).
        line: The 1-based line of the property in the spec file.
    """

    name: str
    facts: dict[str, Any]
    texts: list[str]
    sources: list[Source]
    node: Any
    line: int
    via_ref: str | None = None


@dataclass
class SpecModel:
    """A model as the spec describes it."""

    model: str
    schema_name: str
    schema: Any
    params: dict[str, SpecParam]
    endpoints: list[tuple[str, str]]
    auth: list[str]
    example: dict[str, Any] | None
    example_node: Any = field(default=None)
    line: int = 0


def _resolve(spec: Any, ref: str) -> tuple[str, Any]:
    node = spec
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return ref.rsplit("/", 1)[-1], node


def sources_of(node: Any) -> list[Source]:
    """The ``x-fluxq-source`` entries of a schema node (one object or a list of them)."""
    raw = node.get("x-fluxq-source") if hasattr(node, "get") else None
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else [raw]
    return [
        Source(
            basis=str(item.get("basis", "")),
            page=item.get("page"),
            quote=item.get("quote"),
            about=tuple(item.get("about") or ()),
        )
        for item in items
    ]


def _line(node: Any, key: str) -> int:
    try:
        return int(node.lc.key(key)[0]) + 1
    except (AttributeError, KeyError, TypeError):
        return 0


def facts_of(schema: Any, required: bool) -> dict[str, Any]:
    """Comparable facts of one property schema (``$ref`` already resolved)."""
    facts: dict[str, Any] = {"required": required}
    declared = schema.get("type")
    types = [declared] if isinstance(declared, str) else list(declared or [])
    facts["nullable"] = "null" in types
    concrete = [t for t in types if t != "null"]
    if len(concrete) == 1:
        facts["type"] = concrete[0]
    elif not concrete and "type" not in schema:
        facts["type"] = "any"
    for keyword in ("enum", "default", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if keyword in schema:
            value = schema[keyword]
            facts[keyword] = list(value) if keyword == "enum" else value
    if "multipleOf" in schema:
        facts["multipleOf"] = schema["multipleOf"]
    description = str(schema.get("description") or "")
    if size := SIZE_PATTERN.search(re.sub(r"(\d)\s+MB", r"\1MB", description)):
        facts["maxSize"] = number(size.group(1))
    return facts


def model_ids(spec: Any) -> list[str]:
    """The models of the spec: every ``POST /v1/queue/<model>`` path, in spec order."""
    ids = []
    for path, item in spec.get("paths", {}).items():
        match = re.fullmatch(r"/v1/queue/([A-Za-z0-9_\-]+)", str(path))
        if match and "post" in item:
            ids.append(match.group(1))
    return ids


def _security(spec: Any) -> list[str]:
    schemes = spec.get("components", {}).get("securitySchemes", {})
    found = []
    for requirement in spec.get("security", []):
        for name in requirement:
            scheme = schemes.get(name, {})
            if scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
                found.append("bearer")
            elif scheme.get("type") == "apiKey":
                found.append(
                    "key" if str(scheme.get("name", "")).lower() == "authorization" else scheme.get("name")
                )
    return found


def spec_model(spec: Any, model: str) -> SpecModel | None:
    """The spec's view of `model`, or None when the spec has no such model."""
    paths = spec.get("paths", {})
    submit = paths.get(f"/v1/queue/{model}", {}).get("post")
    if submit is None:
        return None
    body = submit["requestBody"]
    if "$ref" in body:
        _, body = _resolve(spec, body["$ref"])
    media = body["content"]["application/json"]
    schema_name, schema = _resolve(spec, media["schema"]["$ref"])
    required = set(schema.get("required", []))
    params: dict[str, SpecParam] = {}
    for name, node in schema.get("properties", {}).items():
        target, via_ref = node, None
        if "$ref" in node:
            via_ref, target = _resolve(spec, node["$ref"])
        sources = sources_of(node) + sources_of(target)
        texts = [normalise_space(str(target.get("description") or ""))]
        texts += [normalise_space(str(s.quote)) for s in sources if s.quote]
        params[str(name)] = SpecParam(
            name=str(name),
            facts=facts_of(target, str(name) in required),
            texts=[t for t in texts if t],
            sources=sources,
            node=target,
            line=_line(schema["properties"], name),
            via_ref=via_ref,
        )
    endpoints = []
    for path, item in paths.items():
        if str(path) == f"/v1/queue/{model}" or str(path).startswith(f"/v1/queue/{model}/"):
            endpoints += [
                (method.upper(), str(path)) for method in item if method in {"get", "put", "post", "delete"}
            ]
    examples = media.get("examples", {})
    example_node = next(iter(examples.values()), None) if examples else None
    example = dict(example_node["value"]) if example_node is not None and "value" in example_node else None
    return SpecModel(
        model=model,
        schema_name=schema_name,
        schema=schema,
        params=params,
        endpoints=endpoints,
        auth=_security(spec),
        example=example,
        example_node=example_node,
        line=_line(spec.get("components", {}).get("schemas", {}), schema_name),
    )


def load_spec(path: Path) -> Any:
    """Load the spec as a round-trip tree (comments and key order kept for `patch`)."""
    from .yaml_io import load

    return load(path)
