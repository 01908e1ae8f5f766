from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.flux_kontext_pro_input_output_format import FluxKontextProInputOutputFormat
from ..types import UNSET, Unset

T = TypeVar("T", bound="FluxKontextProInput")


@_attrs_define
class FluxKontextProInput:
    """Parameters of FLUX.1 Kontext [pro]. Discrepancies between sources: the sibling platform's page (seed 003) says
    `safety_tolerance` 1–6 and default `output_format` `jpeg`; SeaCloud's page types `safety_tolerance` as "any"; the
    upstream vendor also accepts `webp`. This spec follows the provider pages (0–6 integer, default `png`, `jpeg|png`).

        Attributes:
            prompt (str): Text description of the desired image (fluxq choice — an empty prompt counts as missing).
            input_image (str | Unset): Base64-encoded image (optionally a `data:` URI) or an http(s) image URL, used as a
                reference. Supports up to 20 MB of image data (checked by the client; not expressed as `maxLength` so that test
                generators do not build 28-million-character strings).
            input_image_2 (str | Unset): Base64-encoded image (optionally a `data:` URI) or an http(s) image URL, used as a
                reference. Supports up to 20 MB of image data (checked by the client; not expressed as `maxLength` so that test
                generators do not build 28-million-character strings).
            input_image_3 (str | Unset): Base64-encoded image (optionally a `data:` URI) or an http(s) image URL, used as a
                reference. Supports up to 20 MB of image data (checked by the client; not expressed as `maxLength` so that test
                generators do not build 28-million-character strings).
            input_image_4 (str | Unset): Base64-encoded image (optionally a `data:` URI) or an http(s) image URL, used as a
                reference. Supports up to 20 MB of image data (checked by the client; not expressed as `maxLength` so that test
                generators do not build 28-million-character strings).
            seed (int | None | Unset): Used for reproducibility. If null or omitted, a random seed is used. Accepts any
                integer, for example 42.
            aspect_ratio (str | Unset): Image aspect ratio `W:H`, between 21:9 and 9:21. The range cannot be expressed in
                JSON Schema; fluxq's reference provider clamps a ratio outside it to the nearest bound. The output is about one
                megapixel, each side a multiple of 32.
            output_format (FluxKontextProInputOutputFormat | Unset): Output format. jpeg is accepted, but the returned file
                may still be png. Default: FluxKontextProInputOutputFormat.PNG.
            prompt_upsampling (bool | Unset): Whether to upsample the prompt. When enabled, the prompt is automatically
                modified for more creative generation. Default: False.
            safety_tolerance (int | Unset): Safety tolerance for input and output moderation, 0 strictest to 6 most
                permissive. Default: 2.
    """

    prompt: str
    input_image: str | Unset = UNSET
    input_image_2: str | Unset = UNSET
    input_image_3: str | Unset = UNSET
    input_image_4: str | Unset = UNSET
    seed: int | None | Unset = UNSET
    aspect_ratio: str | Unset = UNSET
    output_format: FluxKontextProInputOutputFormat | Unset = FluxKontextProInputOutputFormat.PNG
    prompt_upsampling: bool | Unset = False
    safety_tolerance: int | Unset = 2

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        input_image = self.input_image

        input_image_2 = self.input_image_2

        input_image_3 = self.input_image_3

        input_image_4 = self.input_image_4

        seed: int | None | Unset
        if isinstance(self.seed, Unset):
            seed = UNSET
        else:
            seed = self.seed

        aspect_ratio = self.aspect_ratio

        output_format: str | Unset = UNSET
        if not isinstance(self.output_format, Unset):
            output_format = self.output_format.value

        prompt_upsampling = self.prompt_upsampling

        safety_tolerance = self.safety_tolerance

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "prompt": prompt,
            }
        )
        if input_image is not UNSET:
            field_dict["input_image"] = input_image
        if input_image_2 is not UNSET:
            field_dict["input_image_2"] = input_image_2
        if input_image_3 is not UNSET:
            field_dict["input_image_3"] = input_image_3
        if input_image_4 is not UNSET:
            field_dict["input_image_4"] = input_image_4
        if seed is not UNSET:
            field_dict["seed"] = seed
        if aspect_ratio is not UNSET:
            field_dict["aspect_ratio"] = aspect_ratio
        if output_format is not UNSET:
            field_dict["output_format"] = output_format
        if prompt_upsampling is not UNSET:
            field_dict["prompt_upsampling"] = prompt_upsampling
        if safety_tolerance is not UNSET:
            field_dict["safety_tolerance"] = safety_tolerance

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prompt = d.pop("prompt")

        input_image = d.pop("input_image", UNSET)

        input_image_2 = d.pop("input_image_2", UNSET)

        input_image_3 = d.pop("input_image_3", UNSET)

        input_image_4 = d.pop("input_image_4", UNSET)

        def _parse_seed(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seed = _parse_seed(d.pop("seed", UNSET))

        aspect_ratio = d.pop("aspect_ratio", UNSET)

        _output_format = d.pop("output_format", UNSET)
        output_format: FluxKontextProInputOutputFormat | Unset
        if isinstance(_output_format, Unset):
            output_format = UNSET
        else:
            output_format = FluxKontextProInputOutputFormat(_output_format)

        prompt_upsampling = d.pop("prompt_upsampling", UNSET)

        safety_tolerance = d.pop("safety_tolerance", UNSET)

        flux_kontext_pro_input = cls(
            prompt=prompt,
            input_image=input_image,
            input_image_2=input_image_2,
            input_image_3=input_image_3,
            input_image_4=input_image_4,
            seed=seed,
            aspect_ratio=aspect_ratio,
            output_format=output_format,
            prompt_upsampling=prompt_upsampling,
            safety_tolerance=safety_tolerance,
        )

        return flux_kontext_pro_input
