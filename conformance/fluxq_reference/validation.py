"""Submit-body validation: a pure function from raw request parts to parameters or a refusal.

Order of the checks (the first failing one answers):

1. webhook query parameters (``fal_webhook``, ``webhook``) → 400 ``webhook not supported``;
2. a content type other than JSON → 400;
3. a body that is not JSON, or not a JSON object → 400;
4. webhook body fields (``webhook``, ``webhook_url``) → 400 ``webhook not supported``;
5. an explicit ``null`` where the spec forbids it → 422;
6. integral numbers such as ``2.0`` in integer fields become ints (JSON Schema counts them as
   integers; the generated models' strict ints would refuse them);
7. the generated pydantic model (strict types, ranges, multiples of 32, enums, unknown
   fields) → 422.

Every refusal's ``detail`` reads ``<field>: <rule message> (<rule>)``, e.g.
``width: Input should be a multiple of 32 (multiple_of)``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from fluxq_reference.spec_facts import ModelFacts

WEBHOOK_QUERY_PARAMS = frozenset({"fal_webhook", "webhook"})
WEBHOOK_BODY_FIELDS = frozenset({"webhook", "webhook_url"})
WEBHOOK_DETAIL = "webhook not supported"


@dataclass(frozen=True)
class Refusal:
    """Why a submit was refused.

    Attributes:
        status_code: 400 or 422.
        detail: The application error's ``detail``.
    """

    status_code: int
    detail: str


def is_json_media_type(content_type: str | None) -> bool:
    """Whether a ``Content-Type`` header names JSON (a missing header is tolerated)."""
    if content_type is None or not content_type.strip():
        return True
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def _first_error_detail(error: ValidationError) -> str:
    details = error.errors(include_url=False)
    first = details[0]
    location = ".".join(str(part) for part in first["loc"]) or "body"
    return f"{location}: {first['msg']} ({first['type']})"


def validate_submit(
    facts: ModelFacts,
    body: bytes,
    content_type: str | None,
    query: Mapping[str, str],
) -> BaseModel | Refusal:
    """Validate one submit request.

    Args:
        facts: The model's facts (pydantic model and non-nullable fields).
        body: The raw request body.
        content_type: The ``Content-Type`` header, if any.
        query: The query parameters.

    Returns:
        The validated parameters, or the :class:`Refusal` to answer.
    """
    if WEBHOOK_QUERY_PARAMS.intersection(query):
        return Refusal(400, WEBHOOK_DETAIL)
    if not is_json_media_type(content_type):
        return Refusal(400, f"body: Content-Type must be application/json, not {content_type!r} (media_type)")
    try:
        data: Any = json.loads(body)
    except (ValueError, RecursionError):
        return Refusal(400, "body: Invalid JSON (json_invalid)")
    if not isinstance(data, dict):
        return Refusal(400, "body: Input should be a JSON object (object_type)")
    if WEBHOOK_BODY_FIELDS.intersection(data):
        return Refusal(400, WEBHOOK_DETAIL)
    for name in sorted(facts.non_nullable.intersection(data)):
        if data[name] is None:
            return Refusal(422, f"{name}: Input should not be null (null_forbidden)")
    for name in facts.integer_fields.intersection(data):
        value = data[name]
        if isinstance(value, float) and value.is_integer():
            data[name] = int(value)
    try:
        return facts.input_model.model_validate(data)
    except ValidationError as error:
        return Refusal(422, _first_error_detail(error))
