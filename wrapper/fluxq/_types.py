"""Typed parameters per model, for editors and mypy (``**params: Unpack[FluxPro11Params]``).

They mirror ``fluxq_models`` (a test keeps the keys in step). ``None`` means "omit the field"; image
fields take any `ImageInput`. The rules (ranges, multiples of 32, enums) are checked at run time by
the generated models before anything is sent.
"""

from typing import Literal, Required, TypedDict

from ._images import ImageInput


class FluxKontextProParams(TypedDict, total=False):
    """FLUX.1 Kontext [pro]: generation and editing with up to four reference images (data or URLs)."""

    prompt: Required[str]
    input_image: ImageInput | None
    input_image_2: ImageInput | None
    input_image_3: ImageInput | None
    input_image_4: ImageInput | None
    seed: int | None
    aspect_ratio: str | None
    output_format: Literal["jpeg", "png"] | None
    prompt_upsampling: bool | None
    safety_tolerance: int | None


class FluxPro11Params(TypedDict, total=False):
    """FLUX 1.1 [pro]: text to image; width and height 256–1440, multiples of 32."""

    prompt: Required[str]
    image_prompt: ImageInput | None
    width: int | None
    height: int | None
    prompt_upsampling: bool | None
    seed: int | None
    safety_tolerance: int | None
    output_format: Literal["jpeg", "png"] | None


class Flux2ProParams(TypedDict, total=False):
    """FLUX.2 [pro]: up to eight input images (image data only); width and height ≥ 64, multiples of 32."""

    prompt: Required[str]
    input_image: ImageInput | None
    input_image_2: ImageInput | None
    input_image_3: ImageInput | None
    input_image_4: ImageInput | None
    input_image_5: ImageInput | None
    input_image_6: ImageInput | None
    input_image_7: ImageInput | None
    input_image_8: ImageInput | None
    seed: int | None
    width: int | None
    height: int | None
    safety_tolerance: int | None
    output_format: Literal["jpeg", "png", "webp"] | None


ModelId = Literal["flux_kontext_pro", "flux_pro_11", "flux_2_pro"]
"""The models of the spec."""
