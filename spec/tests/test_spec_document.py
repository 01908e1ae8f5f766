"""The spec is valid OpenAPI 3.1, complete, and every example in it validates against its schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema.validators import Draft202012Validator
from openapi_spec_validator import validate

MODELS = ("flux_kontext_pro", "flux_pro_11", "flux_2_pro")
OPERATIONS = {"submit": "post", "status": "get", "result": "get", "cancel": "put"}


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _validator(spec: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    """A JSON Schema 2020-12 validator for `schema`; local `#/components/...` refs resolve in the spec."""
    rooted = {**schema, "components": spec["components"]}  # unknown keywords are ignored by 2020-12
    return Draft202012Validator(rooted, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in {"get", "put", "post", "delete", "patch"}:
                yield path, method, operation


def test_spec_is_valid_openapi_31(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_twelve_operations_one_path_per_model(spec: dict[str, Any]) -> None:
    found = {(path, method) for path, method, _ in _operations(spec)}
    expected = set()
    for model in MODELS:
        expected |= {
            (f"/v1/queue/{model}", "post"),
            (f"/v1/queue/{model}/requests/{{request_id}}/status", "get"),
            (f"/v1/queue/{model}/requests/{{request_id}}/response", "get"),
            (f"/v1/queue/{model}/requests/{{request_id}}/cancel", "put"),
        }
    assert found == expected


def test_every_operation_has_a_unique_operation_id(spec: dict[str, Any]) -> None:
    ids = [operation.get("operationId") for _, _, operation in _operations(spec)]
    assert all(ids), "an operation lacks an operationId"
    assert len(ids) == len(set(ids)) == 12
    assert set(ids) == {f"{op}_{model}" for op in OPERATIONS for model in MODELS}


def test_both_security_schemes_are_alternatives(spec: dict[str, Any]) -> None:
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {**schemes["bearerAuth"], "type": "http", "scheme": "bearer"}
    assert schemes["keyAuth"]["in"] == "header"
    assert schemes["keyAuth"]["name"] == "Authorization"
    assert spec["security"] == [{"bearerAuth": []}, {"keyAuth": []}]
    assert {server["url"] for server in spec["servers"]} == {
        "https://cloud.seaart.ai/model",
        "https://odirouter.ai/model",
    }


@pytest.mark.parametrize("model", MODELS)
def test_submit_links_feed_status_result_and_cancel(spec: dict[str, Any], model: str) -> None:
    submit = spec["paths"][f"/v1/queue/{model}"]["post"]
    for code in ("200", "202"):
        links = _resolve(spec, submit["responses"][code])["links"]
        assert {name: link["operationId"] for name, link in links.items()} == {
            "status": f"status_{model}",
            "result": f"result_{model}",
            "cancel": f"cancel_{model}",
        }
        for link in links.values():
            assert link["parameters"] == {"request_id": "$response.body#/request_id"}


def test_every_documented_response_code_is_declared(spec: dict[str, Any]) -> None:
    required = {
        "post": {"200", "202", "400", "401", "404", "422", "429", "500", "502", "503"},
        "status": {"200", "202", "401", "404", "429", "500", "502", "503"},
        "result": {"200", "202", "400", "401", "404", "422", "429", "500", "502", "503", "504"},
        "put": {"202", "400", "401", "404", "429", "500", "502", "503"},
    }
    for path, method, operation in _operations(spec):
        kind = "status" if path.endswith("/status") else "result" if path.endswith("/response") else method
        assert required[kind] <= set(operation["responses"]), (path, method)
        rate_limited = _resolve(spec, operation["responses"]["429"])
        assert "Retry-After" in rate_limited["headers"]


def test_status_is_a_closed_enum_and_error_type_an_open_string(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    assert schemas["TaskStatus"]["enum"] == ["IN_QUEUE", "IN_PROGRESS", "COMPLETED"]
    assert schemas["QueueStatus"]["properties"]["error"]["type"] == "string"
    assert schemas["ErrorType"]["type"] == "string"
    assert "enum" not in schemas["ErrorType"]
    assert set(schemas["ErrorType"]["examples"]) == {
        "INFERENCE_FAILURE",
        "INFERENCE_TIMEOUT",
        "REQUEST_INVALID",
        "CONTENT_BLOCKED",
        "CANCELED",
        "INTERNAL_SERVER_ERROR",
    }


def _examples(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """Every example attached to a request body or response, with the schema it must satisfy."""
    for path, method, operation in _operations(spec):
        bodies = []
        if "requestBody" in operation:
            bodies.append(("request", _resolve(spec, operation["requestBody"])))
        bodies += [(code, _resolve(spec, response)) for code, response in operation["responses"].items()]
        for where, body in bodies:
            for media in body.get("content", {}).values():
                for name, example in media.get("examples", {}).items():
                    value = _resolve(spec, example)["value"]
                    yield f"{method.upper()} {path} {where} {name}", media["schema"], value


def test_every_operation_has_examples(spec: dict[str, Any]) -> None:
    described = {label.split(" ")[1] for label, _, _ in _examples(spec)}
    assert described == set(spec["paths"])


def test_every_example_validates_against_its_schema(spec: dict[str, Any]) -> None:
    checked = 0
    for label, schema, value in _examples(spec):
        errors = list(_validator(spec, schema).iter_errors(value))
        assert not errors, f"{label}: {[error.message for error in errors]}"
        checked += 1
    assert checked >= 12 * 5


def test_a_broken_example_would_be_caught(spec: dict[str, Any]) -> None:
    """Guard against a validator that accepts everything (e.g. an unresolved $ref)."""
    schema = {"$ref": "#/components/schemas/FluxPro11Input"}
    validator = _validator(spec, schema)
    assert list(validator.iter_errors({"prompt": "x", "width": 1000}))
    assert list(validator.iter_errors({"prompt": "x", "colour": "red"}))
    assert not list(validator.iter_errors({"prompt": "x", "width": 1024}))
