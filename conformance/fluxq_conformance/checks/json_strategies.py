"""Hypothesis strategies for the JSON values a spec schema allows (the subset the fluxq spec uses).

Supports ``$ref`` (local), ``anyOf``/``oneOf``, ``enum``, type lists, objects (required and optional
properties, plus an extra field, since responses allow extra fields), arrays, strings (``minLength``,
``format: uri``), integers and numbers (``minimum``/``maximum``), booleans and null. Used to feed
every response shape the spec allows through the generated client.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

_URI = st.builds(
    lambda host, path: f"https://{host}.example.com/{path}",
    st.from_regex(r"[a-z]{1,8}", fullmatch=True),
    st.from_regex(r"[a-z0-9_/]{0,20}", fullmatch=True),
)


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = components["schemas"][name]
    return schema


def _string(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    if schema.get("format") == "uri":
        return _URI
    if "pattern" in schema:
        return st.from_regex(schema["pattern"], fullmatch=True)
    return st.text(min_size=int(schema.get("minLength", 0)), max_size=20)


def _number(schema: dict[str, Any], integer: bool) -> st.SearchStrategy[Any]:
    low, high = schema.get("minimum"), schema.get("maximum")
    if integer:
        return st.integers(min_value=low, max_value=high)
    return st.one_of(
        st.integers(min_value=low, max_value=high),
        st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False),
    )


def _object(schema: dict[str, Any], components: dict[str, Any], extra: bool) -> st.SearchStrategy[Any]:
    properties: dict[str, Any] = schema.get("properties", {})
    required = [name for name in schema.get("required", []) if name in properties]
    optional = [name for name in properties if name not in required]
    fixed = st.fixed_dictionaries(
        {name: from_schema(properties[name], components) for name in required},
        optional={name: from_schema(properties[name], components) for name in optional},
    )
    if not extra or schema.get("additionalProperties") is False:
        return fixed
    extras = st.dictionaries(st.sampled_from(["provider_extra", "trace_id"]), st.integers(0, 9), max_size=1)
    return st.builds(lambda base, more: {**more, **base}, fixed, extras)


def from_schema(
    schema: dict[str, Any], components: dict[str, Any], *, extra: bool = True
) -> st.SearchStrategy[Any]:
    """A strategy for the JSON values ``schema`` allows.

    Args:
        schema: A schema of the spec (may be a ``$ref``).
        components: The spec's ``components`` (to resolve references).
        extra: Whether objects may carry an undeclared field (responses allow it).

    Raises:
        ValueError: For a schema construct this module does not support.
    """
    schema = _resolve(schema, components)
    for combinator in ("anyOf", "oneOf"):
        if combinator in schema:
            return st.one_of([from_schema(item, components, extra=extra) for item in schema[combinator]])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kinds = schema.get("type")
    if isinstance(kinds, list):
        return st.one_of([from_schema({**schema, "type": kind}, components, extra=extra) for kind in kinds])
    if kinds is None and "properties" in schema:
        kinds = "object"
    builders = {
        "object": lambda: _object(schema, components, extra),
        "array": lambda: st.lists(from_schema(schema.get("items", {}), components, extra=extra), max_size=3),
        "string": lambda: _string(schema),
        "integer": lambda: _number(schema, integer=True),
        "number": lambda: _number(schema, integer=False),
        "boolean": st.booleans,
        "null": st.none,
    }
    if kinds is None:
        return st.dictionaries(st.text(max_size=5), st.integers(), max_size=2)
    if kinds not in builders:
        raise ValueError(f"unsupported schema type {kinds!r}")
    built: st.SearchStrategy[Any] = builders[kinds]()
    return built
