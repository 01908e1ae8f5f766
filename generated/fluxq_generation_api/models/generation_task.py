from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.task_state import TaskState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.generation_output import GenerationOutput
    from ..models.generation_task_metadata import GenerationTaskMetadata
    from ..models.usage import Usage


T = TypeVar("T", bound="GenerationTask")


@_attrs_define
class GenerationTask:
    """A task, as create returns it and as polling returns it. `error` is present only when `failed`, `output` and `usage`
    only when `completed` (documented). Extra fields are allowed.

        Attributes:
            id (str): The task id (evidence — the SDK reads `id` and refuses a create reply without one).
            status (TaskState): The four statuses, lower-case: `completed` and `failed` are documented (seed 003), `pending`
                and `processing` are named by the team's contract (§7). Only `completed` and `failed` are final (evidence —
                `seaart-sdk` stops polling on exactly these two). They only move forward and a final one never changes (fluxq
                choice).
            model (str | Unset): The model the task runs (evidence — the SDK reads `model`).
            created_at (int | Unset): Creation time, Unix seconds (evidence — the SDK reads `created_at` from the create
                reply).
            progress (float | Unset): Progress of the task, when reported (evidence — the SDK passes `progress` to its
                `on_update`).
            error (Any | Unset): Error information of a failed task, and of HTTP error replies. The page documents `{code
                (string), message}`; `seaart-sdk` reads `{code (integer), error_message}`. Both are accepted: at least one of
                `message` and `error_message` is present.
            output (list[GenerationOutput] | Unset): Generation results (documented), one entry per result with its content
                list.
            usage (Usage | Unset): Usage statistics of a completed task (documented).
            metadata (GenerationTaskMetadata | Unset): Metadata information (documented). The SDK reads `completed_at`,
                `in_queue_at` and `upload_at` (numbers) from it (evidence).
    """

    id: str
    status: TaskState
    model: str | Unset = UNSET
    created_at: int | Unset = UNSET
    progress: float | Unset = UNSET
    error: Any | Unset = UNSET
    output: list[GenerationOutput] | Unset = UNSET
    usage: Usage | Unset = UNSET
    metadata: GenerationTaskMetadata | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        status = self.status.value

        model = self.model

        created_at = self.created_at

        progress = self.progress

        error: Any | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        output: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.output, Unset):
            output = []
            for output_item_data in self.output:
                output_item = output_item_data.to_dict()
                output.append(output_item)

        usage: dict[str, Any] | Unset = UNSET
        if not isinstance(self.usage, Unset):
            usage = self.usage.to_dict()

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
            }
        )
        if model is not UNSET:
            field_dict["model"] = model
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if progress is not UNSET:
            field_dict["progress"] = progress
        if error is not UNSET:
            field_dict["error"] = error
        if output is not UNSET:
            field_dict["output"] = output
        if usage is not UNSET:
            field_dict["usage"] = usage
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.generation_output import GenerationOutput  # noqa: PLC0415
        from ..models.generation_task_metadata import GenerationTaskMetadata  # noqa: PLC0415
        from ..models.usage import Usage  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        status = TaskState(d.pop("status"))

        model = d.pop("model", UNSET)

        created_at = d.pop("created_at", UNSET)

        progress = d.pop("progress", UNSET)

        def _parse_error(data: object) -> Any | Unset:
            if isinstance(data, Unset):
                return data
            return cast(Any | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        _output = d.pop("output", UNSET)
        output: list[GenerationOutput] | Unset = UNSET
        if _output is not UNSET:
            output = []
            for output_item_data in _output:
                output_item = GenerationOutput.from_dict(output_item_data)

                output.append(output_item)

        _usage = d.pop("usage", UNSET)
        usage: Usage | Unset
        if isinstance(_usage, Unset):
            usage = UNSET
        else:
            usage = Usage.from_dict(_usage)

        _metadata = d.pop("metadata", UNSET)
        metadata: GenerationTaskMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = GenerationTaskMetadata.from_dict(_metadata)

        generation_task = cls(
            id=id,
            status=status,
            model=model,
            created_at=created_at,
            progress=progress,
            error=error,
            output=output,
            usage=usage,
            metadata=metadata,
        )

        generation_task.additional_properties = d
        return generation_task

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
