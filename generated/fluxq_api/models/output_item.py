from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.output_item_type import OutputItemType
from ..types import UNSET, Unset

T = TypeVar("T", bound="OutputItem")


@_attrs_define
class OutputItem:
    """
    Attributes:
        type_ (OutputItemType):
        url (str): Where the file can be downloaded (without the API key). May expire.
        content_type (str | Unset):
        file_name (str | Unset):
        width (int | Unset):
        height (int | Unset):
        file_size (int | Unset):
        duration (float | Unset):
    """

    type_: OutputItemType
    url: str
    content_type: str | Unset = UNSET
    file_name: str | Unset = UNSET
    width: int | Unset = UNSET
    height: int | Unset = UNSET
    file_size: int | Unset = UNSET
    duration: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        url = self.url

        content_type = self.content_type

        file_name = self.file_name

        width = self.width

        height = self.height

        file_size = self.file_size

        duration = self.duration

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "url": url,
            }
        )
        if content_type is not UNSET:
            field_dict["content_type"] = content_type
        if file_name is not UNSET:
            field_dict["file_name"] = file_name
        if width is not UNSET:
            field_dict["width"] = width
        if height is not UNSET:
            field_dict["height"] = height
        if file_size is not UNSET:
            field_dict["file_size"] = file_size
        if duration is not UNSET:
            field_dict["duration"] = duration

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = OutputItemType(d.pop("type"))

        url = d.pop("url")

        content_type = d.pop("content_type", UNSET)

        file_name = d.pop("file_name", UNSET)

        width = d.pop("width", UNSET)

        height = d.pop("height", UNSET)

        file_size = d.pop("file_size", UNSET)

        duration = d.pop("duration", UNSET)

        output_item = cls(
            type_=type_,
            url=url,
            content_type=content_type,
            file_name=file_name,
            width=width,
            height=height,
            file_size=file_size,
            duration=duration,
        )

        output_item.additional_properties = d
        return output_item

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
