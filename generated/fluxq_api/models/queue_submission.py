from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="QueueSubmission")


@_attrs_define
class QueueSubmission:
    """The reply to submit. The three URLs are absolute; clients should call them rather than building their own.
    `queue_position` is 0 or more (SeaCloud: always 0).

        Attributes:
            request_id (str): Task id used in all follow-up operations.
            response_url (str): URL to fetch the final result.
            status_url (str): URL to query the task status.
            cancel_url (str): URL to cancel the task.
            queue_position (int): Current position in the queue.
    """

    request_id: str
    response_url: str
    status_url: str
    cancel_url: str
    queue_position: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        request_id = self.request_id

        response_url = self.response_url

        status_url = self.status_url

        cancel_url = self.cancel_url

        queue_position = self.queue_position

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "request_id": request_id,
                "response_url": response_url,
                "status_url": status_url,
                "cancel_url": cancel_url,
                "queue_position": queue_position,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        request_id = d.pop("request_id")

        response_url = d.pop("response_url")

        status_url = d.pop("status_url")

        cancel_url = d.pop("cancel_url")

        queue_position = d.pop("queue_position")

        queue_submission = cls(
            request_id=request_id,
            response_url=response_url,
            status_url=status_url,
            cancel_url=cancel_url,
            queue_position=queue_position,
        )

        queue_submission.additional_properties = d
        return queue_submission

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
