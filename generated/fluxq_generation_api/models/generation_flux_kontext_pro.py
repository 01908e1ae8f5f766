from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.generation_flux_kontext_pro_model import GenerationFluxKontextProModel
from ..models.generation_flux_kontext_pro_output_format import GenerationFluxKontextProOutputFormat
from ..types import UNSET, Unset

T = TypeVar("T", bound="GenerationFluxKontextPro")


@_attrs_define
class GenerationFluxKontextPro:
    """FLUX.1 Kontext [pro] on the generation format, as seed 003 documents it. It differs from the queue pages in two
    places: `output_format` defaults to `jpeg` (queue pages: `png`) and `safety_tolerance` ranges 1–6 (queue pages:
    0–6).

        Attributes:
            model (GenerationFluxKontextProModel): Model ID to use for the request (documented).
            prompt (str): Text description of the desired image (documented; fluxq choice — an empty prompt counts as
                missing).
            input_image (str | Unset): Base64-encoded image or image URL used as reference; up to 20 MB (documented; checked
                by the client, not expressed as `maxLength`).
            input_image_2 (str | Unset): Base64-encoded image or image URL used as reference; up to 20 MB (documented;
                checked by the client, not expressed as `maxLength`).
            input_image_3 (str | Unset): Base64-encoded image or image URL used as reference; up to 20 MB (documented;
                checked by the client, not expressed as `maxLength`).
            input_image_4 (str | Unset): Base64-encoded image or image URL used as reference; up to 20 MB (documented;
                checked by the client, not expressed as `maxLength`).
            seed (int | None | Unset): Used for reproducibility. If null or omitted, a random seed is used. Accepts any
                integer (documented).
            aspect_ratio (str | Unset): Image aspect ratio `W:H`, between 21:9 and 9:21 (documented; the range cannot be
                expressed in JSON Schema, fluxq's reference provider clamps a ratio outside it).
            output_format (GenerationFluxKontextProOutputFormat | Unset): Output format (documented: "Options: jpeg, png.
                Default: jpeg"). Default: GenerationFluxKontextProOutputFormat.JPEG.
            prompt_upsampling (bool | Unset): Whether to perform upsampling on the prompt (documented). Default: False.
            safety_tolerance (int | Unset): Input and output moderation tolerance level (documented: "Range: 1 - 6", default
                2). Default: 2.
    """

    model: GenerationFluxKontextProModel
    prompt: str
    input_image: str | Unset = UNSET
    input_image_2: str | Unset = UNSET
    input_image_3: str | Unset = UNSET
    input_image_4: str | Unset = UNSET
    seed: int | None | Unset = UNSET
    aspect_ratio: str | Unset = UNSET
    output_format: GenerationFluxKontextProOutputFormat | Unset = GenerationFluxKontextProOutputFormat.JPEG
    prompt_upsampling: bool | Unset = False
    safety_tolerance: int | Unset = 2

    def to_dict(self) -> dict[str, Any]:
        model = self.model.value

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
                "model": model,
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
        model = GenerationFluxKontextProModel(d.pop("model"))

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
        output_format: GenerationFluxKontextProOutputFormat | Unset
        if isinstance(_output_format, Unset):
            output_format = UNSET
        else:
            output_format = GenerationFluxKontextProOutputFormat(_output_format)

        prompt_upsampling = d.pop("prompt_upsampling", UNSET)

        safety_tolerance = d.pop("safety_tolerance", UNSET)

        generation_flux_kontext_pro = cls(
            model=model,
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

        return generation_flux_kontext_pro
