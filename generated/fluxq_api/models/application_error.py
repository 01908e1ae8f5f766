from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ApplicationError")


@_attrs_define
class ApplicationError:
    """The application's error shape, e.g. `App not found: <id>`, `webhook not supported`, `Request not found`.

    Attributes:
        detail (str):
        request_id (str | Unset):
        error_type (str | Unset): Why a task ended without outputs. An open list; the known values are
            `INFERENCE_FAILURE`, `INFERENCE_TIMEOUT`, `REQUEST_INVALID`, `CONTENT_BLOCKED`, `CANCELED` and
            `INTERNAL_SERVER_ERROR`. Clients must accept other values.
    """

    detail: str
    request_id: str | Unset = UNSET
    error_type: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        detail = self.detail

        request_id = self.request_id

        error_type = self.error_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "detail": detail,
            }
        )
        if request_id is not UNSET:
            field_dict["request_id"] = request_id
        if error_type is not UNSET:
            field_dict["error_type"] = error_type

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        detail = d.pop("detail")

        request_id = d.pop("request_id", UNSET)

        error_type = d.pop("error_type", UNSET)

        application_error = cls(
            detail=detail,
            request_id=request_id,
            error_type=error_type,
        )

        application_error.additional_properties = d
        return application_error

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
