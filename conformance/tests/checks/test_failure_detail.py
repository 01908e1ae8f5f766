"""schemathesis' own failure detail reaches the report: the field and the values the spec allows."""

from __future__ import annotations

import io
import json

from PIL import Image

from fluxq_conformance.checks.documented import undocumented_reason
from fluxq_conformance.core.exchange import Exchange, describe_body

STATUS_URL = "http://127.0.0.1:9/model/v1/queue/flux_pro_11/requests/mmsu_1/status"


def _status_reply(body: dict[str, object], code: int = 200) -> Exchange:
    return Exchange(
        "GET", STATUS_URL, {}, None, code, {"content-type": "application/json"}, json.dumps(body).encode()
    )


def test_schema_violation_names_the_field_and_the_allowed_values() -> None:
    reason = undocumented_reason(_status_reply({"status": "FAILED", "request_id": "mmsu_1"}))
    assert reason == (
        'status_flux_pro_11 200: Response violates schema: at /status: "FAILED" is not one of '
        '"IN_QUEUE", "IN_PROGRESS" or "COMPLETED"'
    )


def test_wrong_type_names_the_nested_field() -> None:
    reason = undocumented_reason(
        _status_reply({"status": "IN_QUEUE", "request_id": "mmsu_1", "queue_position": "first"})
    )
    assert reason is not None
    assert "at /queue_position:" in reason
    assert '"first"' in reason


def test_undocumented_status_code_says_which() -> None:
    reason = undocumented_reason(_status_reply({"status": "IN_QUEUE", "request_id": "mmsu_1"}, code=201))
    assert reason == "status_flux_pro_11 answered 201, which the spec does not document"


def test_binary_bodies_show_the_pixel_size_compared() -> None:
    image = io.BytesIO()
    Image.new("RGB", (64, 32)).save(image, format="PNG")
    assert (
        describe_body(image.getvalue(), "image/png")
        == f"<{len(image.getvalue())} bytes of image/png, 64×32 pixels>"
    )
    assert describe_body(b"not an image", "image/png") == "<12 bytes of image/png>"
