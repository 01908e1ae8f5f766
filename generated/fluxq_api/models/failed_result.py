from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.failed_result_status import FailedResultStatus

T = TypeVar("T", bound="FailedResult")


@_attrs_define
class FailedResult:
    """The 200 result of a task that completed with an error or was canceled (evidence: the official SeaCloud SDK handles
    exactly this shape). It never carries `outputs`.

        Attributes:
            request_id (str):
            status (FailedResultStatus):
            error (str): Human-readable error message.
            error_type (str): Why a task ended without outputs. An open list; the known values are `INFERENCE_FAILURE`,
                `INFERENCE_TIMEOUT`, `REQUEST_INVALID`, `CONTENT_BLOCKED`, `CANCELED` and `INTERNAL_SERVER_ERROR`. Clients must
                accept other values.
    """

    request_id: str
    status: FailedResultStatus
    error: str
    error_type: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        request_id = self.request_id

        status = self.status.value

        error = self.error

        error_type = self.error_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "request_id": request_id,
                "status": status,
                "error": error,
                "error_type": error_type,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        request_id = d.pop("request_id")

        status = FailedResultStatus(d.pop("status"))

        error = d.pop("error")

        error_type = d.pop("error_type")

        failed_result = cls(
            request_id=request_id,
            status=status,
            error=error,
            error_type=error_type,
        )

        failed_result.additional_properties = d
        return failed_result

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
