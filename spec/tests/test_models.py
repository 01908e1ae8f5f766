"""The generated pydantic models (fluxq_models) agree with the spec's request schemas.

Objects generated from each request schema (by schemathesis, from the spec itself) are accepted;
each constraint broken on purpose is rejected with an error naming the field and the rule.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

import fluxq_models

MODELS: dict[str, type[BaseModel]] = {
    "flux_kontext_pro": fluxq_models.FluxKontextProInput,
    "flux_pro_11": fluxq_models.FluxPro11Input,
    "flux_2_pro": fluxq_models.Flux2ProInput,
}


def _json_schema_number(literal: str) -> int | float:
    """JSON Schema counts a number with a zero fractional part (2.0) as an integer."""
    value = float(literal)
    return int(value) if value.is_integer() else value


def as_sent_over_json(body: Any) -> Any:
    """The body as a server decodes it: JSON text, numbers read with JSON Schema's semantics."""
    return json.loads(json.dumps(body), parse_float=_json_schema_number)


@pytest.mark.parametrize("model", sorted(MODELS))
def test_every_body_the_spec_allows_is_accepted(st_schema: Any, model: str) -> None:
    operation = st_schema[f"/v1/queue/{model}"]["POST"]

    @settings(settings.get_profile("spec"))
    @given(case=operation.as_strategy())
    def accepted(case: Any) -> None:
        body = as_sent_over_json(case.body)
        validated = MODELS[model].model_validate(body)
        # Nothing the client sent is lost or renamed on the way through the model.
        assert validated.model_dump(exclude_unset=True) == body

    accepted()


@pytest.mark.parametrize("model", sorted(MODELS))
def test_defaults_follow_the_provider_pages(model: str) -> None:
    validated = MODELS[model].model_validate({"prompt": "a red apple"})
    expected: dict[str, dict[str, Any]] = {
        "flux_kontext_pro": {"output_format": "png", "safety_tolerance": 2, "prompt_upsampling": False},
        "flux_pro_11": {
            "output_format": "jpeg",
            "safety_tolerance": 2,
            "prompt_upsampling": False,
            "width": 1024,
            "height": 768,
        },
        "flux_2_pro": {"output_format": "jpeg", "safety_tolerance": 2, "width": None, "height": None},
    }
    for field, value in expected[model].items():
        assert getattr(validated, field) == value, field


BROKEN: list[tuple[str, dict[str, Any], str, str]] = [
    # (model, body, field named in the error, pydantic error type = the rule)
    ("flux_pro_11", {"prompt": "p", "width": 1000}, "width", "multiple_of"),
    ("flux_pro_11", {"prompt": "p", "width": 1472}, "width", "less_than_equal"),
    ("flux_pro_11", {"prompt": "p", "height": 224}, "height", "greater_than_equal"),
    ("flux_pro_11", {"prompt": "p", "width": "1024"}, "width", "int_type"),
    ("flux_pro_11", {"prompt": "p", "output_format": "webp"}, "output_format", "literal_error"),
    ("flux_pro_11", {"prompt": "p", "prompt_upsampling": "yes"}, "prompt_upsampling", "bool_type"),
    ("flux_pro_11", {"prompt": "p", "aspect_ratio": "1:1"}, "aspect_ratio", "extra_forbidden"),
    ("flux_2_pro", {"prompt": "p", "safety_tolerance": 6}, "safety_tolerance", "less_than_equal"),
    ("flux_2_pro", {"prompt": "p", "width": 32}, "width", "greater_than_equal"),
    ("flux_2_pro", {"prompt": "p", "height": 100}, "height", "multiple_of"),
    ("flux_2_pro", {"prompt": "p", "input_image_9": "AAAA"}, "input_image_9", "extra_forbidden"),
    ("flux_2_pro", {"prompt": "p", "prompt_upsampling": True}, "prompt_upsampling", "extra_forbidden"),
    ("flux_kontext_pro", {"prompt": "p", "output_format": "webp"}, "output_format", "literal_error"),
    ("flux_kontext_pro", {"prompt": "p", "safety_tolerance": 7}, "safety_tolerance", "less_than_equal"),
    ("flux_kontext_pro", {"prompt": "p", "safety_tolerance": -1}, "safety_tolerance", "greater_than_equal"),
    ("flux_kontext_pro", {"prompt": "p", "aspect_ratio": "wide"}, "aspect_ratio", "string_pattern_mismatch"),
    ("flux_kontext_pro", {"prompt": "p", "colour": "red"}, "colour", "extra_forbidden"),
    ("flux_kontext_pro", {"seed": 42}, "prompt", "missing"),
    ("flux_kontext_pro", {"prompt": ""}, "prompt", "string_too_short"),
    ("flux_kontext_pro", {"prompt": 42}, "prompt", "string_type"),
    ("flux_kontext_pro", {"prompt": "p", "seed": "42"}, "seed", "int_type"),
]


@pytest.mark.parametrize(("model", "body", "field", "rule"), BROKEN)
def test_each_broken_constraint_is_rejected_naming_field_and_rule(
    model: str, body: dict[str, Any], field: str, rule: str
) -> None:
    with pytest.raises(PydanticValidationError) as caught:
        MODELS[model].model_validate(body)
    errors = caught.value.errors()
    assert [(error["loc"][0], error["type"]) for error in errors] == [(field, rule)]
    assert field in str(caught.value)


def test_only_kontext_seed_is_nullable_in_the_spec(spec: dict[str, Any]) -> None:
    """The generated models accept an explicit null on every optional field (a generator limitation);
    the spec allows it only for flux_kontext_pro.seed, so servers and clients must enforce the rest."""
    schemas = spec["components"]["schemas"]
    nullable = {
        (name, field)
        for name in ("FluxKontextProInput", "FluxPro11Input", "Flux2ProInput")
        for field, prop in schemas[name]["properties"].items()
        if "null" in (prop.get("type") if isinstance(prop.get("type"), list) else [prop.get("type")])
    }
    assert nullable == {("FluxKontextProInput", "seed")}
    assert fluxq_models.FluxKontextProInput.model_validate({"prompt": "p", "seed": None}).seed is None
