from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.queue_result_status import QueueResultStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.output_item import OutputItem
    from ..models.queue_result_metadata import QueueResultMetadata


T = TypeVar("T", bound="QueueResult")


@_attrs_define
class QueueResult:
    """A successful result. Several outputs come back as several items, in order. `status` may be present (the official
    SeaCloud SDK reads it; the reference provider sends it).

        Attributes:
            request_id (str):
            outputs (list[OutputItem]):
            metadata (QueueResultMetadata): Provider-defined metadata (for example the seed used); always present.
            status (QueueResultStatus | Unset):
    """

    request_id: str
    outputs: list[OutputItem]
    metadata: QueueResultMetadata
    status: QueueResultStatus | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        request_id = self.request_id

        outputs = []
        for outputs_item_data in self.outputs:
            outputs_item = outputs_item_data.to_dict()
            outputs.append(outputs_item)

        metadata = self.metadata.to_dict()

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "request_id": request_id,
                "outputs": outputs,
                "metadata": metadata,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.output_item import OutputItem  # noqa: PLC0415
        from ..models.queue_result_metadata import QueueResultMetadata  # noqa: PLC0415

        d = dict(src_dict)
        request_id = d.pop("request_id")

        outputs = []
        _outputs = d.pop("outputs")
        for outputs_item_data in _outputs:
            outputs_item = OutputItem.from_dict(outputs_item_data)

            outputs.append(outputs_item)

        metadata = QueueResultMetadata.from_dict(d.pop("metadata"))

        _status = d.pop("status", UNSET)
        status: QueueResultStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = QueueResultStatus(_status)

        queue_result = cls(
            request_id=request_id,
            outputs=outputs,
            metadata=metadata,
            status=status,
        )

        queue_result.additional_properties = d
        return queue_result

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
