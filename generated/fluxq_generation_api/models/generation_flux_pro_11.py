from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.generation_flux_pro_11_model import GenerationFluxPro11Model
from ..models.generation_flux_pro_11_output_format import GenerationFluxPro11OutputFormat
from ..types import UNSET, Unset

T = TypeVar("T", bound="GenerationFluxPro11")


@_attrs_define
class GenerationFluxPro11:
    """FLUX 1.1 [pro] on the generation format. Seed 003 documents only flux_kontext_pro; this schema takes the parameters
    of the FLUX 1.1 [pro] queue page (fluxq choice), plus `model`.

        Attributes:
            model (GenerationFluxPro11Model): Model ID to use for the request (documented for the format).
            prompt (str): Text description of the desired image (fluxq choice — an empty prompt counts as missing).
            image_prompt (str | Unset): Base64-encoded image data (optionally a `data:` URI), up to 20 MB.
            width (int | Unset): Image width in pixels. Must be a multiple of 32 (fluxq choice — the queue page's rule).
                Default: 1024.
            height (int | Unset): Image height in pixels. Must be a multiple of 32 (fluxq choice — the queue page's rule).
                Default: 768.
            prompt_upsampling (bool | Unset): Whether to upsample the prompt (fluxq choice — the queue page's parameter).
                Default: False.
            seed (int | Unset): Random seed used to reproduce results (fluxq choice — the queue page's parameter).
            safety_tolerance (int | Unset): Safety tolerance, 0 strictest to 6 most permissive (fluxq choice — the queue
                page's rule). Default: 2.
            output_format (GenerationFluxPro11OutputFormat | Unset): Output format (fluxq choice — the queue page's rule).
                Default: GenerationFluxPro11OutputFormat.JPEG.
    """

    model: GenerationFluxPro11Model
    prompt: str
    image_prompt: str | Unset = UNSET
    width: int | Unset = 1024
    height: int | Unset = 768
    prompt_upsampling: bool | Unset = False
    seed: int | Unset = UNSET
    safety_tolerance: int | Unset = 2
    output_format: GenerationFluxPro11OutputFormat | Unset = GenerationFluxPro11OutputFormat.JPEG

    def to_dict(self) -> dict[str, Any]:
        model = self.model.value

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
                "model": model,
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
        model = GenerationFluxPro11Model(d.pop("model"))

        prompt = d.pop("prompt")

        image_prompt = d.pop("image_prompt", UNSET)

        width = d.pop("width", UNSET)

        height = d.pop("height", UNSET)

        prompt_upsampling = d.pop("prompt_upsampling", UNSET)

        seed = d.pop("seed", UNSET)

        safety_tolerance = d.pop("safety_tolerance", UNSET)

        _output_format = d.pop("output_format", UNSET)
        output_format: GenerationFluxPro11OutputFormat | Unset
        if isinstance(_output_format, Unset):
            output_format = UNSET
        else:
            output_format = GenerationFluxPro11OutputFormat(_output_format)

        generation_flux_pro_11 = cls(
            model=model,
            prompt=prompt,
            image_prompt=image_prompt,
            width=width,
            height=height,
            prompt_upsampling=prompt_upsampling,
            seed=seed,
            safety_tolerance=safety_tolerance,
            output_format=output_format,
        )

        return generation_flux_pro_11
