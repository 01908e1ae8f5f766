"""What the contract tolerates: pure rules that turn some schemathesis failures into warnings or passes.

- A provider that *accepts* a submit body whose only fault is an unknown field ignores unknown
  fields: contract §6 calls that a warning, not a failure.
- A provider that *refuses* a schema-valid submit body because an image field is not real image
  data (the spec cannot express "base64 image"), or because an integer field holds ``1.0`` (JSON
  Schema counts it as an integer, strict validators do not), is stricter than the spec can say:
  a warning.
- A documented "refused because of the task's state" reply to a valid request (cancel of a terminal
  task: 400; result of a failed task: 400/409/410/422) is conforming: a pass.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # the venv has no stubs

from fluxq_conformance.core.spec import Kind, load_spec, match_url

#: Response codes that mean "refused because of the task's state", per operation kind.
STATE_REFUSALS: dict[Kind, frozenset[int]] = {
    Kind.CANCEL: frozenset({400}),
    Kind.RESULT: frozenset({400, 409, 410, 422}),
}


@functools.cache
def _relaxed_components() -> dict[str, Any]:
    """The spec's components with ``additionalProperties: false`` removed everywhere."""
    components: dict[str, Any] = copy.deepcopy(load_spec()["components"])

    def relax(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("additionalProperties") is False:
                del node["additionalProperties"]
            for child in node.values():
                relax(child)
        elif isinstance(node, list):
            for child in node:
                relax(child)

    relax(components["schemas"])
    return components


@functools.cache
def _body_schema_name(operation_id: str) -> str | None:
    spec = load_spec()
    for item in spec["paths"].values():
        operation = item.get("post")
        if operation and operation.get("operationId") == operation_id:
            body_name = operation["requestBody"]["$ref"].rsplit("/", 1)[-1]
            media = spec["components"]["requestBodies"][body_name]["content"]["application/json"]
            name: str = media["schema"]["$ref"].rsplit("/", 1)[-1]
            return name
    return None


def only_unknown_fields(operation_id: str, body: Any) -> bool:
    """Whether ``body`` would be valid for ``operation_id`` if unknown fields were allowed."""
    name = _body_schema_name(operation_id)
    if name is None or not isinstance(body, dict):
        return False
    root = {"components": _relaxed_components(), "$ref": f"#/components/schemas/{name}"}
    return bool(Draft202012Validator(root).is_valid(body))


def _property_schemas(operation_id: str) -> dict[str, Any]:
    name = _body_schema_name(operation_id)
    if name is None:
        return {}
    properties: dict[str, Any] = load_spec()["components"]["schemas"][name].get("properties", {})
    return properties


def image_fields(operation_id: str) -> frozenset[str]:
    """Fields of a submit body that carry image data (their schema or description says base64/image)."""
    schemas = load_spec()["components"]["schemas"]
    found = set()
    for field, schema in _property_schemas(operation_id).items():
        target = schema
        if "$ref" in schema:
            target = schemas[schema["$ref"].rsplit("/", 1)[-1]]
        if "base64" in str(target.get("description", "")).lower():
            found.add(field)
    return frozenset(found)


def integer_fields(operation_id: str) -> frozenset[str]:
    """Fields of a submit body typed ``integer``."""
    found = set()
    for field, schema in _property_schemas(operation_id).items():
        kinds = schema.get("type")
        if kinds == "integer" or (isinstance(kinds, list) and "integer" in kinds):
            found.add(field)
    return frozenset(found)


def inexpressible_reason(operation_id: str, body: Any) -> str | None:
    """Why a refused schema-valid submit body may be refused for something the spec cannot say.

    Returns:
        A short reason, or ``None`` when nothing in the body explains the refusal.
    """
    if not isinstance(body, dict):
        return None
    images = sorted(field for field in image_fields(operation_id) if field in body)
    floats = sorted(field for field in integer_fields(operation_id) if isinstance(body.get(field), float))
    reasons = []
    if images:
        reasons.append(f"{', '.join(images)} must be real image data, which the spec cannot express")
    if floats:
        reasons.append(
            f"{', '.join(floats)} sent as an integral float (JSON Schema counts 1.0 as an integer)"
        )
    return "; ".join(reasons) or None


def is_state_refusal(method: str, url: str, status_code: int) -> bool:
    """Whether a response is a documented refusal due to the task's state (a conforming answer)."""
    matched = match_url(method, url)
    if matched is None:
        return False
    return status_code in STATE_REFUSALS.get(matched[0].kind, frozenset())
