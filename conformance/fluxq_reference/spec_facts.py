"""Facts the provider derives from the OpenAPI documents once, at start-up (queue and generation).

The generated pydantic models carry the spec's constraints except one: their optional fields
are typed ``X | None``, so they accept an explicit JSON ``null`` the spec may forbid. The
fields that may be null are therefore read from the spec document itself.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

import fluxq_generation_models
import fluxq_models
import fluxq_spec

_SUBMIT_PREFIX = "/v1/queue/"


@dataclass(frozen=True)
class ModelFacts:
    """What the provider needs to know about one model.

    Attributes:
        model_id: The path segment, e.g. ``flux_pro_11``.
        input_model: The generated pydantic model that validates its submit body.
        non_nullable: Body fields for which an explicit ``null`` is invalid.
        integer_fields: Body fields typed ``integer``; JSON Schema counts ``2.0`` as an integer,
            the generated models' strict ints do not, so such values are normalised first.
    """

    model_id: str
    input_model: type[BaseModel]
    non_nullable: frozenset[str]
    integer_fields: frozenset[str] = frozenset()


def load_spec() -> dict[str, Any]:
    """Parse the spec document (through the one loader, :mod:`fluxq_spec`).

    Raises:
        FileNotFoundError: If the spec cannot be found.
        yaml.YAMLError: If it is not YAML.
    """
    return fluxq_spec.load_spec()


def resolve(spec: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    """Follow local ``$ref`` pointers (``#/a/b``) until a node without ``$ref``.

    Raises:
        KeyError: If a pointer names nothing.
    """
    seen = 0
    while "$ref" in node and seen < 32:
        target: Any = spec
        for part in str(node["$ref"]).removeprefix("#/").split("/"):
            target = target[part]
        node = target
        seen += 1
    return node


def allows_null(spec: Mapping[str, Any], schema: Mapping[str, Any]) -> bool:
    """Whether a JSON Schema (3.1 style) accepts ``null``."""
    schema = resolve(spec, schema)
    declared = schema.get("type")
    if declared == "null" or (isinstance(declared, list) and "null" in declared):
        return True
    if schema.get("nullable") is True:
        return True
    if "const" in schema and schema["const"] is None:
        return True
    if None in schema.get("enum", ()):
        return True
    return any(allows_null(spec, sub) for key in ("anyOf", "oneOf") for sub in schema.get(key, ()))


def is_integer_typed(spec: Mapping[str, Any], schema: Mapping[str, Any]) -> bool:
    """Whether a JSON Schema's ``type`` is or includes ``integer``."""
    declared = resolve(spec, schema).get("type")
    return declared == "integer" or (isinstance(declared, list) and "integer" in declared)


def model_facts(spec: Mapping[str, Any]) -> dict[str, ModelFacts]:
    """One :class:`ModelFacts` per ``POST /v1/queue/{model}`` operation of the spec.

    Raises:
        KeyError: If the spec names a schema that ``fluxq_models`` does not define.
    """
    facts: dict[str, ModelFacts] = {}
    for path, item in spec.get("paths", {}).items():
        model_id = path.removeprefix(_SUBMIT_PREFIX)
        if not path.startswith(_SUBMIT_PREFIX) or "/" in model_id or "post" not in item:
            continue
        body = resolve(spec, item["post"]["requestBody"])
        schema_node = body["content"]["application/json"]["schema"]
        schema_name = str(schema_node["$ref"]).rsplit("/", 1)[-1]
        schema = resolve(spec, schema_node)
        input_model = getattr(fluxq_models, schema_name, None)
        if not (isinstance(input_model, type) and issubclass(input_model, BaseModel)):
            raise KeyError(f"fluxq_models has no model {schema_name!r}")
        non_nullable = frozenset(
            name for name, prop in schema.get("properties", {}).items() if not allows_null(spec, prop)
        )
        integer_fields = frozenset(
            name for name, prop in schema.get("properties", {}).items() if is_integer_typed(spec, prop)
        )
        facts[model_id] = ModelFacts(model_id, input_model, non_nullable, integer_fields)
    return facts


@functools.cache
def default_models() -> dict[str, ModelFacts]:
    """The models of the spec found by :mod:`fluxq_spec` (read once per process).

    Raises:
        FileNotFoundError: If the spec cannot be found.
    """
    return model_facts(load_spec())


def generation_model_facts(spec: Mapping[str, Any]) -> dict[str, ModelFacts]:
    """One :class:`ModelFacts` per model of the generation document's create body.

    The models are the ``model`` discriminator's mapping of ``GenerationRequest``; each validates
    with its ``fluxq_generation_models`` class (the whole body, ``model`` included).

    Raises:
        KeyError: If the document names a schema that ``fluxq_generation_models`` does not define.
    """
    request = spec["components"]["schemas"]["GenerationRequest"]
    facts: dict[str, ModelFacts] = {}
    for model_id, ref in request["discriminator"]["mapping"].items():
        schema_name = str(ref).rsplit("/", 1)[-1]
        schema = resolve(spec, {"$ref": ref})
        input_model = getattr(fluxq_generation_models, schema_name, None)
        if not (isinstance(input_model, type) and issubclass(input_model, BaseModel)):
            raise KeyError(f"fluxq_generation_models has no model {schema_name!r}")
        properties = schema.get("properties", {})
        facts[model_id] = ModelFacts(
            model_id,
            input_model,
            frozenset(name for name, prop in properties.items() if not allows_null(spec, prop)),
            frozenset(name for name, prop in properties.items() if is_integer_typed(spec, prop)),
        )
    return facts


@functools.cache
def default_generation_models() -> dict[str, ModelFacts]:
    """The models of the generation document found by :mod:`fluxq_spec` (read once per process).

    Raises:
        FileNotFoundError: If the document cannot be found.
    """
    return generation_model_facts(fluxq_spec.load_spec(fluxq_spec.GENERATION_SPEC))


MAX_IMAGE_BYTES = 20 * 1024 * 1024
"""The providers' limit per image (20 MB of image data)."""


def body_limit(facts: ModelFacts) -> int:
    """The largest submit body a model can legitimately receive: every image field at 20 MB, base64-encoded,
    plus 1 MiB for the other fields."""
    images = sum(1 for name in facts.input_model.model_fields if "image" in name)
    return images * (MAX_IMAGE_BYTES * 4 // 3 + 4) + 1024 * 1024
