from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.flux_pro_11_input_output_format import FluxPro11InputOutputFormat
from ..types import UNSET, Unset

T = TypeVar("T", bound="FluxPro11Input")


@_attrs_define
class FluxPro11Input:
    """Parameters of FLUX 1.1 [pro]. The upstream vendor also accepts `webp` and no `prompt`; the providers document
    `prompt` as required and `jpeg|png` only, which this spec follows.

        Attributes:
            prompt (str): Text description of the desired image (fluxq choice — an empty prompt counts as missing).
            image_prompt (str | Unset): Base64-encoded image data (optionally a `data:` URI), up to 20 MB.
            width (int | Unset): Image width in pixels. Must be a multiple of 32. Default: 1024.
            height (int | Unset): Image height in pixels. Must be a multiple of 32. Default: 768.
            prompt_upsampling (bool | Unset): Whether to upsample the prompt. When enabled, the prompt is automatically
                modified for more creative generation. Default: False.
            seed (int | Unset): Random seed used to reproduce results. Accepts any integer, for example 42.
            safety_tolerance (int | Unset): Safety tolerance for input and output moderation, 0 strictest to 6 most
                permissive. Default: 2.
            output_format (FluxPro11InputOutputFormat | Unset): Output format. Default: FluxPro11InputOutputFormat.JPEG.
    """

    prompt: str
    image_prompt: str | Unset = UNSET
    width: int | Unset = 1024
    height: int | Unset = 768
    prompt_upsampling: bool | Unset = False
    seed: int | Unset = UNSET
    safety_tolerance: int | Unset = 2
    output_format: FluxPro11InputOutputFormat | Unset = FluxPro11InputOutputFormat.JPEG

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        image_prompt = self.image_prompt

        width = self.width

        height = self.height

        prompt_upsampling = self.prompt_upsampling

        seed = self.seed

        safety_tolerance = self.safety_tolerance

        output_format: str | Unset = UNSET
        if not isinstance(self.output_format, Unset):
            output_format = self.output_format.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "prompt": prompt,
            }
        )
        if image_prompt is not UNSET:
            field_dict["image_prompt"] = image_prompt
        if width is not UNSET:
            field_dict["width"] = width
        if height is not UNSET:
            field_dict["height"] = height
        if prompt_upsampling is not UNSET:
            field_dict["prompt_upsampling"] = prompt_upsampling
        if seed is not UNSET:
            field_dict["seed"] = seed
        if safety_tolerance is not UNSET:
            field_dict["safety_tolerance"] = safety_tolerance
        if output_format is not UNSET:
            field_dict["output_format"] = output_format

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prompt = d.pop("prompt")

        image_prompt = d.pop("image_prompt", UNSET)

        width = d.pop("width", UNSET)

        height = d.pop("height", UNSET)

        prompt_upsampling = d.pop("prompt_upsampling", UNSET)

        seed = d.pop("seed", UNSET)

        safety_tolerance = d.pop("safety_tolerance", UNSET)

        _output_format = d.pop("output_format", UNSET)
        output_format: FluxPro11InputOutputFormat | Unset
        if isinstance(_output_format, Unset):
            output_format = UNSET
        else:
            output_format = FluxPro11InputOutputFormat(_output_format)

        flux_pro_11_input = cls(
            prompt=prompt,
            image_prompt=image_prompt,
            width=width,
            height=height,
            prompt_upsampling=prompt_upsampling,
            seed=seed,
            safety_tolerance=safety_tolerance,
            output_format=output_format,
        )

        return flux_pro_11_input
