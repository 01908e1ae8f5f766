from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.generation_flux_2_pro_model import GenerationFlux2ProModel
from ..models.generation_flux_2_pro_output_format import GenerationFlux2ProOutputFormat
from ..types import UNSET, Unset

T = TypeVar("T", bound="GenerationFlux2Pro")


@_attrs_define
class GenerationFlux2Pro:
    """FLUX.2 [pro] on the generation format. Seed 003 documents only flux_kontext_pro; this schema takes the parameters of
    the FLUX.2 [pro] queue page (fluxq choice), plus `model`.

        Attributes:
            model (GenerationFlux2ProModel): Model ID to use for the request (documented for the format).
            prompt (str): Text prompt (fluxq choice — an empty prompt counts as missing).
            input_image (str | Unset): Base64-encoded image data (optionally a `data:` URI), up to 20 MB.
            input_image_2 (str | Unset): Base64-encoded image data (optionally a `data:` URI), up to 20 MB.
            input_image_3 (str | Unset): Base64-encoded image data (optionally a `data:` URI), up to 20 MB.
            input_image_4 (str | Unset): Base64-encoded image data (optionally a `data:` URI), up to 20 MB.
            input_image_5 (str | Unset): Base64-encoded image data (optionally a `data:` URI), up to 20 MB.
            input_image_6 (str | Unset): Base64-encoded image data (optionally a `data:` URI), up to 20 MB.
            input_image_7 (str | Unset): Base64-encoded image data (optionally a `data:` URI), up to 20 MB.
            input_image_8 (str | Unset): Base64-encoded image data (optionally a `data:` URI), up to 20 MB.
            seed (int | Unset): Random seed used to reproduce results (fluxq choice — the queue page's parameter).
            width (int | Unset): Output image width in pixels, a multiple of 32 (fluxq choice — the queue page's rule).
            height (int | Unset): Output image height in pixels, a multiple of 32 (fluxq choice — the queue page's rule).
            safety_tolerance (int | Unset): Safety tolerance, 0 strictest to 5 most permissive (fluxq choice — the queue
                page's rule). Default: 2.
            output_format (GenerationFlux2ProOutputFormat | Unset): Output image format (fluxq choice — the queue page's
                rule). Default: GenerationFlux2ProOutputFormat.JPEG.
    """

    model: GenerationFlux2ProModel
    prompt: str
    input_image: str | Unset = UNSET
    input_image_2: str | Unset = UNSET
    input_image_3: str | Unset = UNSET
    input_image_4: str | Unset = UNSET
    input_image_5: str | Unset = UNSET
    input_image_6: str | Unset = UNSET
    input_image_7: str | Unset = UNSET
    input_image_8: str | Unset = UNSET
    seed: int | Unset = UNSET
    width: int | Unset = UNSET
    height: int | Unset = UNSET
    safety_tolerance: int | Unset = 2
    output_format: GenerationFlux2ProOutputFormat | Unset = GenerationFlux2ProOutputFormat.JPEG

    def to_dict(self) -> dict[str, Any]:
        model = self.model.value

        prompt = self.prompt

        input_image = self.input_image

        input_image_2 = self.input_image_2

        input_image_3 = self.input_image_3

        input_image_4 = self.input_image_4

        input_image_5 = self.input_image_5

        input_image_6 = self.input_image_6

        input_image_7 = self.input_image_7

        input_image_8 = self.input_image_8

        seed = self.seed

        width = self.width

        height = self.height

        safety_tolerance = self.safety_tolerance

        output_format: str | Unset = UNSET
        if not isinstance(self.output_format, Unset):
            output_format = self.output_format.value

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
        if input_image_5 is not UNSET:
            field_dict["input_image_5"] = input_image_5
        if input_image_6 is not UNSET:
            field_dict["input_image_6"] = input_image_6
        if input_image_7 is not UNSET:
            field_dict["input_image_7"] = input_image_7
        if input_image_8 is not UNSET:
            field_dict["input_image_8"] = input_image_8
        if seed is not UNSET:
            field_dict["seed"] = seed
        if width is not UNSET:
            field_dict["width"] = width
        if height is not UNSET:
            field_dict["height"] = height
        if safety_tolerance is not UNSET:
            field_dict["safety_tolerance"] = safety_tolerance
        if output_format is not UNSET:
            field_dict["output_format"] = output_format

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        model = GenerationFlux2ProModel(d.pop("model"))

        prompt = d.pop("prompt")

        input_image = d.pop("input_image", UNSET)

        input_image_2 = d.pop("input_image_2", UNSET)

        input_image_3 = d.pop("input_image_3", UNSET)

        input_image_4 = d.pop("input_image_4", UNSET)

        input_image_5 = d.pop("input_image_5", UNSET)

        input_image_6 = d.pop("input_image_6", UNSET)

        input_image_7 = d.pop("input_image_7", UNSET)

        input_image_8 = d.pop("input_image_8", UNSET)

        seed = d.pop("seed", UNSET)

        width = d.pop("width", UNSET)

        height = d.pop("height", UNSET)

        safety_tolerance = d.pop("safety_tolerance", UNSET)

        _output_format = d.pop("output_format", UNSET)
        output_format: GenerationFlux2ProOutputFormat | Unset
        if isinstance(_output_format, Unset):
            output_format = UNSET
        else:
            output_format = GenerationFlux2ProOutputFormat(_output_format)

        generation_flux_2_pro = cls(
            model=model,
            prompt=prompt,
            input_image=input_image,
            input_image_2=input_image_2,
            input_image_3=input_image_3,
            input_image_4=input_image_4,
            input_image_5=input_image_5,
            input_image_6=input_image_6,
            input_image_7=input_image_7,
            input_image_8=input_image_8,
            seed=seed,
            width=width,
            height=height,
            safety_tolerance=safety_tolerance,
            output_format=output_format,
        )

        return generation_flux_2_pro
