"""The generated attrs models (fluxq_api) round-trip every response example in the spec."""

from __future__ import annotations

from typing import Any

import pytest

from fluxq_api.models import (
    ApplicationError,
    CancelReply,
    FailedResult,
    GatewayError,
    QueueResult,
    QueueStatus,
    QueueSubmission,
)

EXAMPLE_MODELS: dict[str, Any] = {
    "SubmittedFluxKontextPro": QueueSubmission,
    "SubmittedFluxPro11": QueueSubmission,
    "SubmittedFlux2Pro": QueueSubmission,
    "StatusInQueue": QueueStatus,
    "StatusInProgress": QueueStatus,
    "StatusCompleted": QueueStatus,
    "StatusFailed": QueueStatus,
    "StatusCanceled": QueueStatus,
    "Result": QueueResult,
    "ResultFailed": FailedResult,
    "ErrorInvalidList": ApplicationError,
    "ErrorCancelUnsupported": ApplicationError,
    "ErrorForbidden": GatewayError,
    "ErrorCanceled": ApplicationError,
    "ErrorContentBlocked": ApplicationError,
    "ErrorInvalid": ApplicationError,
    "ErrorWebhook": ApplicationError,
    "ErrorRequestNotFound": ApplicationError,
    "ErrorAppNotFound": ApplicationError,
    "ErrorUnauthorized": GatewayError,
    "ErrorRateLimited": GatewayError,
    "ErrorInternal": GatewayError,
}


def test_every_component_example_is_covered(spec: dict[str, Any]) -> None:
    assert set(spec["components"]["examples"]) == set(EXAMPLE_MODELS)


@pytest.mark.parametrize("name", sorted(EXAMPLE_MODELS))
def test_example_round_trips(spec: dict[str, Any], name: str) -> None:
    value = spec["components"]["examples"][name]["value"]
    parsed = EXAMPLE_MODELS[name].from_dict(value)
    assert parsed.to_dict() == value
    assert EXAMPLE_MODELS[name].from_dict(parsed.to_dict()) == parsed


@pytest.mark.parametrize("status", ["CANCELLATION_REQUESTED", "ALREADY_COMPLETED", "NOT_FOUND"])
def test_cancel_replies_round_trip(status: str) -> None:
    parsed = CancelReply.from_dict({"status": status})
    assert parsed.to_dict() == {"status": status}


def test_extra_response_fields_survive_the_round_trip() -> None:
    body = {"status": "IN_QUEUE", "request_id": "mmsu_1", "queue_position": 3, "eta_seconds": 12}
    parsed = QueueStatus.from_dict(body)
    assert parsed.additional_properties == {"eta_seconds": 12}
    assert parsed.to_dict() == body


def test_unknown_status_is_refused_by_the_generated_model() -> None:
    with pytest.raises(ValueError, match="FAILED"):
        QueueStatus.from_dict({"status": "FAILED", "request_id": "mmsu_1"})
