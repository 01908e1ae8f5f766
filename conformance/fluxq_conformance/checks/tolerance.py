"""What the contract tolerates: pure rules that turn some schemathesis failures into warnings or passes.

- A provider that *accepts* a submit body whose only fault is an unknown field ignores unknown
  fields: contract §6 calls that a warning, not a failure.
- A provider that *refuses* a schema-valid submit body because an image field is not real image
  data (the spec cannot express "base64 image"), or because an integer field holds ``1.0`` (JSON
  Schema counts it as an integer, strict validators do not), is stricter than the spec can say:
  a warning.
- A documented "refused because of the task's state" reply to a valid request (cancel of a terminal
  task: 400/405/501; result of a failed task: 400/409/410/422) is conforming: a pass.
- A provider that *accepts* an invalid submit body is judged by the basis of the constraints the body
  breaks (:func:`broken_constraints`, read from ``x-fluxq-source``): breaking a documented range fails,
  breaking only fluxq choices (``prompt: ""``, an explicit ``null``, an ``aspect_ratio`` the pattern
  refuses, unknown fields) warns.
- A provider that *refuses* an ``aspect_ratio`` outside 21:9…9:21 that the pattern allows is within
  its rights (contract §6 rev. 2: the docs do not say): a warning.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # the venv has no stubs

from fluxq_conformance.core.provenance import basis_of, strongest
from fluxq_conformance.core.spec import Kind, load_spec, match_url

#: Response codes that mean "refused because of the task's state", per operation kind.
STATE_REFUSALS: dict[Kind, frozenset[int]] = {
    Kind.CANCEL: frozenset({400, 405, 501}),
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
    ratio = body.get("aspect_ratio")
    if isinstance(ratio, str) and not _ratio_in_range(ratio):
        reasons.append(f"aspect_ratio {ratio!r} is outside 21:9…9:21 (the docs allow refusing it)")
    return "; ".join(reasons) or None


def _ratio_in_range(ratio: str) -> bool:
    width, _, height = ratio.partition(":")
    try:
        value = int(width) / int(height)
    except (ValueError, ZeroDivisionError):
        return True  # not a ratio at all: the pattern, not the range, decides
    return 9 / 21 <= value <= 21 / 9


def broken_constraints(operation_id: str, body: Any) -> list[tuple[str, str]]:
    """The constraints of a submit body schema that ``body`` breaks, each with its basis.

    Returns:
        ``(where, basis)`` pairs, e.g. ``("FluxPro11Input.width maximum", "documented")``; empty
        when the body is valid.
    """
    name = _body_schema_name(operation_id)
    if name is None:
        return []
    components = load_spec()["components"]
    schema = components["schemas"][name]
    root = {"components": components, "$ref": f"#/components/schemas/{name}"}
    found: list[tuple[str, str]] = []
    for error in Draft202012Validator(root).iter_errors(body):
        keyword = str(error.validator)
        path = list(error.absolute_path)
        if keyword == "additionalProperties":
            found.append((f"{name} unknown field", "choice"))  # contract §6: ignoring them is a warning
            continue
        if keyword == "required":
            field_name = str(error.message).split("'")[1] if "'" in str(error.message) else "?"
            node = schema.get("properties", {}).get(field_name, {})
            found.append((f"{name}.{field_name} required", basis_of(node, "required")))
            continue
        if not path:
            found.append((f"{name} {keyword}", "documented"))  # not even an object
            continue
        field_name = str(path[0])
        if error.instance is None and len(path) == 1:
            found.append((f"{name}.{field_name} null", "choice"))  # contract §6: explicit null
            continue
        node = schema.get("properties", {}).get(field_name, {})
        if "$ref" in node:
            node = components["schemas"][node["$ref"].rsplit("/", 1)[-1]]
        found.append((f"{name}.{field_name} {keyword}", basis_of(node, keyword)))
    return found


def acceptance_basis(operation_id: str, body: Any) -> tuple[str, str]:
    """The basis of accepting an invalid submit body, and which constraints it broke (for messages)."""
    broken = broken_constraints(operation_id, body)
    basis = strongest([found_basis for _where, found_basis in broken])
    return basis, ", ".join(f"{where} ({found_basis})" for where, found_basis in broken) or "no constraint"


def is_state_refusal(method: str, url: str, status_code: int) -> bool:
    """Whether a response is a documented refusal due to the task's state (a conforming answer)."""
    matched = match_url(method, url)
    if matched is None:
        return False
    return status_code in STATE_REFUSALS.get(matched[0].kind, frozenset())
