from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.task_status import TaskStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.metrics import Metrics
    from ..models.queue_status_logs_type_0_item import QueueStatusLogsType0Item


T = TypeVar("T", bound="QueueStatus")


@_attrs_define
class QueueStatus:
    """A task's status. `IN_QUEUE` carries `queue_position`; a successful `COMPLETED` carries `metrics.inference_time`; a
    failed or canceled one carries `error` and `error_type`.

        Attributes:
            status (TaskStatus): The only three statuses. There is no FAILED or CANCELED status: a failed or canceled task
                is `COMPLETED` with `error` and `error_type`. Statuses never go backwards; COMPLETED is final.
            request_id (str):
            response_url (str | Unset):
            queue_position (int | Unset):
            metrics (Metrics | Unset):
            error (str | Unset): Human-readable error message of a failed or canceled task.
            error_type (str | Unset): Why a task ended without outputs. An open list; the known values are
                `INFERENCE_FAILURE`, `INFERENCE_TIMEOUT`, `REQUEST_INVALID`, `CONTENT_BLOCKED`, `CANCELED` and
                `INTERNAL_SERVER_ERROR`. Clients must accept other values.
            logs (list[QueueStatusLogsType0Item] | None | Unset): Log lines, when the provider returns them.
    """

    status: TaskStatus
    request_id: str
    response_url: str | Unset = UNSET
    queue_position: int | Unset = UNSET
    metrics: Metrics | Unset = UNSET
    error: str | Unset = UNSET
    error_type: str | Unset = UNSET
    logs: list[QueueStatusLogsType0Item] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        request_id = self.request_id

        response_url = self.response_url

        queue_position = self.queue_position

        metrics: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metrics, Unset):
            metrics = self.metrics.to_dict()

        error = self.error

        error_type = self.error_type

        logs: list[dict[str, Any]] | None | Unset
        if isinstance(self.logs, Unset):
            logs = UNSET
        elif isinstance(self.logs, list):
            logs = []
            for logs_type_0_item_data in self.logs:
                logs_type_0_item = logs_type_0_item_data.to_dict()
                logs.append(logs_type_0_item)

        else:
            logs = self.logs

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "request_id": request_id,
            }
        )
        if response_url is not UNSET:
            field_dict["response_url"] = response_url
        if queue_position is not UNSET:
            field_dict["queue_position"] = queue_position
        if metrics is not UNSET:
            field_dict["metrics"] = metrics
        if error is not UNSET:
            field_dict["error"] = error
        if error_type is not UNSET:
            field_dict["error_type"] = error_type
        if logs is not UNSET:
            field_dict["logs"] = logs

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.metrics import Metrics  # noqa: PLC0415
        from ..models.queue_status_logs_type_0_item import QueueStatusLogsType0Item  # noqa: PLC0415

        d = dict(src_dict)
        status = TaskStatus(d.pop("status"))

        request_id = d.pop("request_id")

        response_url = d.pop("response_url", UNSET)

        queue_position = d.pop("queue_position", UNSET)

        _metrics = d.pop("metrics", UNSET)
        metrics: Metrics | Unset
        if isinstance(_metrics, Unset):
            metrics = UNSET
        else:
            metrics = Metrics.from_dict(_metrics)

        error = d.pop("error", UNSET)

        error_type = d.pop("error_type", UNSET)

        def _parse_logs(data: object) -> list[QueueStatusLogsType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                logs_type_0 = []
                _logs_type_0 = data
                for logs_type_0_item_data in _logs_type_0:
                    logs_type_0_item = QueueStatusLogsType0Item.from_dict(logs_type_0_item_data)

                    logs_type_0.append(logs_type_0_item)

                return logs_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[QueueStatusLogsType0Item] | None | Unset, data)

        logs = _parse_logs(d.pop("logs", UNSET))

        queue_status = cls(
            status=status,
            request_id=request_id,
            response_url=response_url,
            queue_position=queue_position,
            metrics=metrics,
            error=error,
            error_type=error_type,
            logs=logs,
        )

        queue_status.additional_properties = d
        return queue_status

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
