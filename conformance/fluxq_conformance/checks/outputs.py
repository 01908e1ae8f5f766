"""Output checks: every output URL serves, without the key, the image it claims to be.

``outputs.image``: the bytes open with Pillow and their format matches ``content_type``.
``outputs.size``: the pixel size matches the item's ``width``/``height`` and, for models with
explicit size parameters, the size that was asked for (the spec's defaults when not asked).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from PIL import Image, UnidentifiedImageError

from fluxq_conformance.checks.registry import Family, declare
from fluxq_conformance.core.exchange import Exchange, Redactor, reproduce
from fluxq_conformance.core.results import CheckResult, Outcome
from fluxq_conformance.core.script import reproduce_in_task
from fluxq_conformance.core.session import ProviderSession
from fluxq_conformance.core.spec import Kind, has_size_parameters, operation_for, submit_properties
from fluxq_conformance.core.trace import TaskTrace

PIL_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/jpg": "JPEG", "image/webp": "WEBP"}


IMAGE = declare(
    "outputs.image",
    Family.OUTPUTS,
    "Each output URL serves, without the key, an image whose format matches content_type.",
    operation=Kind.RESULT,
    scenarios=("success",),
)
SIZE = declare(
    "outputs.size",
    Family.OUTPUTS,
    "The image's pixel size matches the item's width/height and, for models with width/height "
    "parameters, the size that was asked for.",
    operation=Kind.RESULT,
    scenarios=("success",),
)


def successful_result(trace: TaskTrace) -> Exchange | None:
    """The last 200 result of a trace, or ``None``."""
    for step in reversed(trace.steps):
        if step.kind is Kind.RESULT and step.exchange.status_code == 200:
            return step.exchange
    return None


def output_items(result: Exchange) -> list[dict[str, Any]]:
    """The output items of a 200 result (objects only)."""
    outputs = result.json_object().get("outputs")
    return [item for item in outputs if isinstance(item, dict)] if isinstance(outputs, list) else []


def fetch_outputs(session: ProviderSession, trace: TaskTrace) -> dict[str, Exchange]:
    """GET every output URL of a trace's successful result, without credentials."""
    result = successful_result(trace)
    if result is None:
        return {}
    urls = [item["url"] for item in output_items(result) if isinstance(item.get("url"), str)]
    return {url: session.fetch_anonymous(url) for url in urls}


def requested_size(model: str, body: Mapping[str, Any]) -> tuple[int, int] | None:
    """The size a submit asked for (spec defaults filled in), or ``None`` when the model has none."""
    if not has_size_parameters(model):
        return None
    properties = submit_properties(model)
    width = body.get("width", properties["width"].get("default"))
    height = body.get("height", properties["height"].get("default"))
    if isinstance(width, int) and isinstance(height, int):
        return width, height
    return None


def judge_image(
    item: Mapping[str, Any], fetched: Exchange | None
) -> tuple[Outcome, str, tuple[int, int] | None]:
    """Judge one output file's bytes against its item's claims.

    Returns:
        The outcome, a message, and the decoded pixel size (``None`` when undecodable).
    """
    if fetched is None:
        return Outcome.SKIPPED, f"{item.get('url')} was not fetched (not recorded)", None
    if fetched.status_code != 200:
        return Outcome.FAILED, f"GET {fetched.url} without the key answered {fetched.status_code}", None
    try:
        with Image.open(io.BytesIO(fetched.content)) as image:
            image.load()
            found_format, size = image.format, image.size
    except (UnidentifiedImageError, OSError, ValueError) as error:
        return Outcome.FAILED, f"{fetched.url} is not an image: {error}", None
    claimed = item.get("content_type") or fetched.content_type
    expected_format = PIL_FORMATS.get(str(claimed).lower())
    if expected_format is None:
        return (
            Outcome.WARNING,
            f"content_type {claimed!r} is not an image type fluxq knows; bytes are {found_format}",
            size,
        )
    if found_format != expected_format:
        return Outcome.FAILED, f"claims {claimed} but the bytes are {found_format}", size
    return Outcome.PASSED, f"{found_format} image, {size[0]}×{size[1]}", size


def judge_size(
    item: Mapping[str, Any], size: tuple[int, int], asked: tuple[int, int] | None
) -> tuple[Outcome, str]:
    """Judge a decoded pixel size against the item's width/height and the requested size."""
    claimed = (item.get("width"), item.get("height"))
    if claimed != (None, None) and claimed != size:
        return Outcome.FAILED, f"item says {claimed[0]}×{claimed[1]} but the image is {size[0]}×{size[1]}"
    if asked is not None and asked != size:
        return Outcome.FAILED, f"asked for {asked[0]}×{asked[1]} but the image is {size[0]}×{size[1]}"
    return Outcome.PASSED, f"{size[0]}×{size[1]}" + (" as asked" if asked else "")


def judge_outputs(trace: TaskTrace, fetched: Mapping[str, Exchange], redact: Redactor) -> list[CheckResult]:
    """Judge every output of a successful trace: one ``outputs.image`` and one ``outputs.size`` each."""
    result = successful_result(trace)
    operation = operation_for(trace.model, Kind.RESULT).operation_id
    if result is None:
        message = "no successful result to inspect"
        return [
            CheckResult(check_id, Outcome.SKIPPED, message, trace.model, operation)
            for check_id in (IMAGE.id, SIZE.id)
        ]
    asked = requested_size(trace.model, trace.body)
    results: list[CheckResult] = []
    for item in output_items(result):
        if item.get("type") not in (None, "image"):
            continue
        exchange = fetched.get(str(item.get("url")))
        evidence = reproduce_in_task(trace, exchange if exchange is not None else result, redact)
        outcome, message, size = judge_image(item, exchange)
        results.append(CheckResult(IMAGE.id, outcome, message, trace.model, operation, evidence))
        if size is None:
            results.append(
                CheckResult(SIZE.id, Outcome.SKIPPED, "no decodable image", trace.model, operation)
            )
            continue
        size_outcome, size_message = judge_size(item, size, asked)
        results.append(CheckResult(SIZE.id, size_outcome, size_message, trace.model, operation, evidence))
    if not results:
        results.append(
            CheckResult(
                IMAGE.id,
                Outcome.FAILED,
                "the result lists no image output",
                trace.model,
                operation,
                reproduce(result, redact),
            )
        )
    return results
