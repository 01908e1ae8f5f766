"""The generation format's document (seed 003): valid, self-consistent, and in step with the queue spec.

Seed 003 documents flux_kontext_pro only; the other two models take their queue pages' parameters, so
their schemas must stay equal to the queue spec's (apart from ``model`` and the descriptions).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema.validators import Draft202012Validator
from openapi_spec_validator import validate
from pydantic import ValidationError as PydanticValidationError

import fluxq_generation_models as gen
import fluxq_spec

QUEUE_SCHEMA = {
    "flux_kontext_pro": "FluxKontextProInput",
    "flux_pro_11": "FluxPro11Input",
    "flux_2_pro": "Flux2ProInput",
}
GENERATION_SCHEMA = {
    "flux_kontext_pro": "GenerationFluxKontextPro",
    "flux_pro_11": "GenerationFluxPro11",
    "flux_2_pro": "GenerationFlux2Pro",
}


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return fluxq_spec.load_spec(fluxq_spec.GENERATION_SPEC)


@pytest.fixture(scope="module")
def queue() -> dict[str, Any]:
    return fluxq_spec.load_spec()


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _validator(spec: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator({**schema, "components": spec["components"]})


def _examples(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], Any]]:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in {"get", "post"}:
                continue
            bodies = [(code, _resolve(spec, response)) for code, response in operation["responses"].items()]
            if "requestBody" in operation:
                bodies.append(("request", _resolve(spec, operation["requestBody"])))
            for where, body in bodies:
                for media in body.get("content", {}).values():
                    for name, example in media.get("examples", {}).items():
                        value = _resolve(spec, example)["value"]
                        yield f"{method} {path} {where} {name}", media["schema"], value


def test_the_document_is_valid_openapi_31_and_shipped_by_the_loader(doc: dict[str, Any]) -> None:
    assert doc["openapi"].startswith("3.1")
    validate(doc)
    assert fluxq_spec.spec_path(fluxq_spec.GENERATION_SPEC).name == "fluxq.generation.openapi.yaml"


def test_create_and_poll_are_the_sdk_paths(doc: dict[str, Any]) -> None:
    operations = {
        (path, method): operation["operationId"]
        for path, item in doc["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "delete"}
    }
    assert operations == {
        ("/v1/generation", "post"): "create_generation",
        ("/v1/generation/task/{task_id}", "get"): "get_generation_task",
    }
    link = doc["paths"]["/v1/generation"]["post"]["responses"]["200"]["links"]["task"]
    assert link == {"operationId": "get_generation_task", "parameters": {"task_id": "$response.body#/id"}}


def test_statuses_are_the_four_documented_lower_case_values(doc: dict[str, Any]) -> None:
    states = doc["components"]["schemas"]["TaskState"]["enum"]
    assert states == ["pending", "processing", "completed", "failed"]


def test_every_example_validates_and_a_broken_one_would_not(doc: dict[str, Any]) -> None:
    checked = 0
    for label, schema, value in _examples(doc):
        errors = list(_validator(doc, schema).iter_errors(value))
        assert not errors, f"{label}: {[error.message for error in errors]}"
        checked += 1
    assert checked >= 10
    task = _validator(doc, {"$ref": "#/components/schemas/GenerationTask"})
    assert list(task.iter_errors({"id": "t", "status": "COMPLETED"}))
    assert list(task.iter_errors({"id": "t", "status": "failed", "error": {"code": 1}}))
    body = _validator(doc, {"$ref": "#/components/schemas/GenerationRequest"})
    assert list(body.iter_errors({"model": "flux_kontext_pro", "prompt": "x", "safety_tolerance": 0}))
    assert not list(body.iter_errors({"model": "flux_kontext_pro", "prompt": "x", "safety_tolerance": 1}))


@pytest.mark.parametrize("model", ["flux_pro_11", "flux_2_pro"])
def test_undocumented_models_keep_their_queue_page_parameters(
    doc: dict[str, Any], queue: dict[str, Any], model: str
) -> None:
    def rules(spec: dict[str, Any], name: str) -> dict[str, Any]:
        schema = spec["components"]["schemas"][name]
        properties = {
            # Descriptions and x- annotations (x-fluxq-source) are prose and provenance, not rules.
            key: {
                k: v for k, v in _resolve(spec, prop).items() if k != "description" and not k.startswith("x-")
            }
            for key, prop in schema["properties"].items()
            if key != "model"
        }
        return {"required": sorted(set(schema["required"]) - {"model"}), "properties": properties}

    assert rules(doc, GENERATION_SCHEMA[model]) == rules(queue, QUEUE_SCHEMA[model])


def test_kontext_follows_seed_003_where_it_differs_from_the_queue_page(doc: dict[str, Any]) -> None:
    kontext = doc["components"]["schemas"]["GenerationFluxKontextPro"]["properties"]
    assert kontext["output_format"]["default"] == "jpeg"
    assert (kontext["safety_tolerance"]["minimum"], kontext["safety_tolerance"]["maximum"]) == (1, 6)


def test_both_error_spellings_are_accepted_and_a_message_is_required() -> None:
    documented = gen.TaskError.model_validate({"code": "CONTENT_BLOCKED", "message": "blocked"})
    sdk = gen.TaskError.model_validate({"code": 1001, "error_message": "blocked"})
    assert documented.root.message == "blocked"
    assert sdk.root.error_message == "blocked"
    with pytest.raises(PydanticValidationError):
        gen.TaskError.model_validate({"code": 1001})


@settings(max_examples=40, deadline=None)
@given(
    model=st.sampled_from(sorted(GENERATION_SCHEMA)),
    safety=st.integers(min_value=-3, max_value=9),
)
def test_the_generated_request_union_picks_the_model_by_its_model_field(model: str, safety: int) -> None:
    limits = {"flux_kontext_pro": (1, 6), "flux_pro_11": (0, 6), "flux_2_pro": (0, 5)}[model]
    body = {"model": model, "prompt": "x", "safety_tolerance": safety}
    if limits[0] <= safety <= limits[1]:
        parsed = gen.GenerationRequest.model_validate(body).root
        assert type(parsed).__name__ == GENERATION_SCHEMA[model]
    else:
        with pytest.raises(PydanticValidationError, match="safety_tolerance"):
            gen.GenerationRequest.model_validate(body)


def test_a_task_object_round_trips_through_both_generated_layers(doc: dict[str, Any]) -> None:
    from fluxq_generation_api.models import GenerationTask

    completed = _resolve(doc, doc["components"]["examples"]["TaskCompleted"])["value"]
    validated = gen.GenerationTask.model_validate(completed)
    assert validated.status.root == "completed"
    assert validated.usage is not None
    assert validated.usage.cost == "0.04"
    wire = GenerationTask.from_dict(yaml.safe_load(yaml.safe_dump(completed)))
    assert wire.id == completed["id"]


def _sources(node: Any, path: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        raw = node.get("x-fluxq-source")
        for entry in raw if isinstance(raw, list) else [] if raw is None else [raw]:
            yield path, entry
        for key, value in node.items():
            if key != "x-fluxq-source":
                yield from _sources(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _sources(value, f"{path}/{index}")


def test_every_source_quote_occurs_in_its_snapshot_and_every_constraint_has_one(doc: dict[str, Any]) -> None:
    snapshots = Path(__file__).resolve().parent.parent / "sources"
    found = list(_sources(doc))
    assert {entry["basis"] for _, entry in found} == {"documented", "evidence", "choice"}
    for where, entry in found:
        if entry["basis"] != "choice":
            text = " ".join((snapshots / entry["page"]).read_text(encoding="utf-8").split())
            assert " ".join(str(entry["quote"]).split()) in text, f"{where}: quote not in {entry['page']}"
    constraints = {"minimum", "maximum", "multipleOf", "enum", "default", "minLength", "pattern"}
    for name in GENERATION_SCHEMA.values():
        for prop, node in doc["components"]["schemas"][name]["properties"].items():
            if constraints & set(node):
                assert "x-fluxq-source" in node, f"{name}.{prop} has constraints but no x-fluxq-source"
