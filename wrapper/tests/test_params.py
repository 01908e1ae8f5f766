"""Local validation and body encoding: messages naming field and rule, nulls, images, streaming."""

from __future__ import annotations

import base64
import io
import json
import typing
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

import fluxq
import fluxq_models
from fluxq._images import MAX_IMAGE_BYTES, _read_exactly
from fluxq._params import MODELS, JsonBody, describe_problem, prepare_body


def decode(body: JsonBody) -> dict[str, Any]:
    raw = b"".join(body.iter_bytes())
    assert len(raw) == body.length
    decoded: dict[str, Any] = json.loads(raw)
    return decoded


@pytest.mark.parametrize(
    ("model", "params", "message"),
    [
        ("flux_pro_11", {"prompt": "a", "width": 1000}, "width: must be a multiple of 32 (got 1000)"),
        ("flux_pro_11", {"prompt": "a", "height": 1472}, "height: must be at most 1440 (got 1472)"),
        ("flux_pro_11", {"prompt": "a", "width": 224}, "width: must be at least 256 (got 224)"),
        ("flux_pro_11", {"prompt": "a", "width": "1024"}, "width: must be an integer (got '1024')"),
        ("flux_pro_11", {"prompt": "a", "width": True}, "width: must be an integer (got True)"),
        ("flux_pro_11", {"prompt": ""}, "prompt: must not be empty (got '')"),
        ("flux_pro_11", {"width": 512}, "prompt: is required"),
        (
            "flux_pro_11",
            {"prompt": "a", "aspect_ratio": "1:1"},
            "aspect_ratio: is not a parameter of flux_pro_11 (got '1:1')",
        ),
        (
            "flux_pro_11",
            {"prompt": "a", "output_format": "webp"},
            "output_format: must be one of 'jpeg' or 'png' (got 'webp')",
        ),
        ("flux_2_pro", {"prompt": "a", "safety_tolerance": 6}, "safety_tolerance: must be at most 5 (got 6)"),
        (
            "flux_2_pro",
            {"prompt": "a", "prompt_upsampling": True},
            "prompt_upsampling: is not a parameter of flux_2_pro (got True)",
        ),
        (
            "flux_kontext_pro",
            {"prompt": "a", "aspect_ratio": "16x9"},
            "aspect_ratio: expected a value like 1:1, 16:9 or 9:21 (got '16x9')",
        ),
        (
            "flux_pro_11",
            {"prompt": "a", "widht": 512},
            "widht: is not a parameter of flux_pro_11 (got 512); did you mean 'width'?",
        ),
        (
            "flux_kontext_pro",
            {"prompt": "a", "prompt_upsampling": "yes"},
            "prompt_upsampling: must be true or false (got 'yes')",
        ),
        ("flux_kontext_pro", {"prompt": 5}, "prompt: must be a string (got 5)"),
        ("flux_kontext_pro", {"prompt": "a", "seed": 1.5}, "seed: must be an integer (got 1.5)"),
    ],
)
def test_bad_values_name_the_field_and_the_rule(model: str, params: dict[str, Any], message: str) -> None:
    with pytest.raises(fluxq.ValidationError) as caught:
        prepare_body(model, params)

    assert str(caught.value).startswith(message)
    assert caught.value.field == message.split(":")[0]


def test_every_problem_is_listed() -> None:
    with pytest.raises(fluxq.ValidationError) as caught:
        prepare_body("flux_pro_11", {"prompt": "a", "width": 1000, "height": 100})

    assert [p.split(":")[0] for p in caught.value.problems] == ["width", "height"]


def test_unknown_model_is_a_validation_error() -> None:
    with pytest.raises(fluxq.ValidationError, match="unknown model 'flux_dev'"):
        prepare_body("flux_dev", {"prompt": "a"})


def test_none_means_omit() -> None:
    body = decode(prepare_body("flux_pro_11", {"prompt": "a", "seed": None, "width": None, "height": 512}))

    assert body == {"prompt": "a", "height": 512}


def test_body_has_no_defaults_added() -> None:
    assert decode(prepare_body("flux_kontext_pro", {"prompt": 'Ünïcode "quoted"'})) == {
        "prompt": 'Ünïcode "quoted"'
    }


def test_nullability_comes_from_the_spec() -> None:
    assert MODELS["flux_kontext_pro"].nullable_fields == {"seed"}
    assert MODELS["flux_pro_11"].nullable_fields == frozenset()
    assert MODELS["flux_2_pro"].nullable_fields == frozenset()


def test_explicit_null_in_a_model_instance_is_sent_only_where_allowed() -> None:
    kontext = fluxq_models.FluxKontextProInput(prompt="a", seed=None)
    pro = fluxq_models.FluxPro11Input(prompt="a", seed=None)

    assert decode(prepare_body("flux_kontext_pro", kontext)) == {"prompt": "a", "seed": None}
    with pytest.raises(fluxq.ValidationError, match=r"seed: must not be null \(omit it instead\)"):
        prepare_body("flux_pro_11", pro)


def test_model_instance_is_revalidated_and_must_match_the_model() -> None:
    unchecked = fluxq_models.FluxPro11Input.model_construct(prompt="a", width=1000)
    unchecked.model_fields_set.add("width")

    with pytest.raises(fluxq.ValidationError, match="width: must be a multiple of 32"):
        prepare_body("flux_pro_11", unchecked)
    with pytest.raises(fluxq.ValidationError, match="expected FluxKontextProInput"):
        prepare_body("flux_kontext_pro", fluxq_models.FluxPro11Input(prompt="a"))


def test_model_instance_and_keywords_cannot_mix() -> None:
    client = fluxq.Client("k", base_url="http://127.0.0.1:9/model")

    with pytest.raises(
        fluxq.ValidationError, match="seed: pass either a model instance or keyword parameters"
    ):
        client.submit("flux_pro_11", fluxq_models.FluxPro11Input(prompt="a"), seed=1)
    client.close()


@pytest.mark.parametrize(
    ("typed", "model"),
    [
        (fluxq.FluxKontextProParams, fluxq_models.FluxKontextProInput),
        (fluxq.FluxPro11Params, fluxq_models.FluxPro11Input),
        (fluxq.Flux2ProParams, fluxq_models.Flux2ProInput),
    ],
)
def test_typed_params_match_the_generated_models(typed: type, model: type[fluxq_models.BaseModel]) -> None:
    assert set(typing.get_type_hints(typed)) == set(model.model_fields)
    assert typed.__required_keys__ == {
        name for name, info in model.model_fields.items() if info.is_required()
    }


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "blue").save(buffer, format="PNG")
    return buffer.getvalue()


def test_images_from_path_bytes_pil_and_strings_are_base64(tmp_path: Path) -> None:
    data = png_bytes()
    path = tmp_path / "a.png"
    path.write_bytes(data)
    image = Image.open(io.BytesIO(data))
    encoded = base64.b64encode(data).decode()

    body = decode(
        prepare_body(
            "flux_kontext_pro",
            {
                "prompt": "a",
                "input_image": path,
                "input_image_2": bytearray(data),
                "input_image_3": image,
                "input_image_4": f"data:image/png;base64,{encoded}",
            },
        )
    )

    assert body["input_image"] == body["input_image_2"] == encoded
    assert base64.b64decode(body["input_image_3"]).startswith(b"\x89PNG")
    assert body["input_image_4"] == f"data:image/png;base64,{encoded}"


def test_pil_image_without_a_format_is_sent_as_png() -> None:
    body = decode(prepare_body("flux_pro_11", {"prompt": "a", "image_prompt": Image.new("L", (4, 4))}))

    assert base64.b64decode(body["image_prompt"]).startswith(b"\x89PNG")


def test_large_file_is_streamed_in_chunks(tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    path.write_bytes(bytes(range(256)) * 4099)
    body = prepare_body("flux_2_pro", {"prompt": "a", "input_image": path})

    chunks = list(body.iter_bytes())

    assert max(len(chunk) for chunk in chunks) <= 64 * 1024
    assert json.loads(b"".join(chunks))["input_image"] == base64.b64encode(path.read_bytes()).decode()
    assert b"".join(chunks) == b"".join(body.iter_bytes())


async def test_async_iteration_yields_the_same_bytes() -> None:
    body = prepare_body("flux_2_pro", {"prompt": "a", "input_image": png_bytes()})

    assert b"".join([chunk async for chunk in body.aiter_bytes()]) == b"".join(body.iter_bytes())


def test_urls_only_where_the_model_accepts_them() -> None:
    kontext = decode(prepare_body("flux_kontext_pro", {"prompt": "a", "input_image": "https://x.test/a.png"}))

    assert kontext["input_image"] == "https://x.test/a.png"
    with pytest.raises(fluxq.ValidationError, match="input_image: this model accepts image data only"):
        prepare_body("flux_2_pro", {"prompt": "a", "input_image": "https://x.test/a.png"})
    with pytest.raises(fluxq.ValidationError, match="image_prompt: this model accepts image data only"):
        prepare_body("flux_pro_11", {"prompt": "a", "image_prompt": "http://x.test/a.png"})


def test_images_over_20_mb_are_refused_before_sending(tmp_path: Path) -> None:
    sparse = tmp_path / "huge.png"
    with sparse.open("wb") as file:
        file.truncate(MAX_IMAGE_BYTES + 1)
    too_long_text = "A" * (MAX_IMAGE_BYTES // 3 * 4 + 8)

    for value in (sparse, memoryview(bytearray(MAX_IMAGE_BYTES + 1)), too_long_text):
        with pytest.raises(fluxq.ValidationError, match=r"input_image_3: must be at most 20 MB") as caught:
            prepare_body("flux_2_pro", {"prompt": "a", "input_image_3": value})
        assert caught.value.field == "input_image_3"


def test_exactly_20_mb_is_accepted(tmp_path: Path) -> None:
    sparse = tmp_path / "edge.png"
    with sparse.open("wb") as file:
        file.truncate(MAX_IMAGE_BYTES)

    body = prepare_body("flux_2_pro", {"prompt": "a", "input_image": sparse})

    assert body.length > MAX_IMAGE_BYTES * 4 // 3


def test_unreadable_and_unsupported_images_are_validation_errors(tmp_path: Path) -> None:
    with pytest.raises(fluxq.ValidationError, match="input_image: cannot read image file"):
        prepare_body("flux_2_pro", {"prompt": "a", "input_image": tmp_path / "missing.png"})
    with pytest.raises(
        fluxq.ValidationError, match="input_image: must be a path, bytes, a PIL image or a string"
    ):
        prepare_body("flux_2_pro", {"prompt": "a", "input_image": 42})


def test_unlisted_pydantic_rules_fall_back_to_pydantic_wording() -> None:
    problem = {
        "loc": ("seed",),
        "type": "int_parsing",
        "msg": "Input should be a valid integer",
        "input": "x",
    }

    assert describe_problem(problem, "flux_pro_11") == "seed: input should be a valid integer (got 'x')"
    assert describe_problem({**problem, "loc": ()}, "flux_pro_11").startswith("body: ")


def test_long_values_are_shortened_in_messages() -> None:
    with pytest.raises(fluxq.ValidationError) as caught:
        prepare_body("flux_pro_11", {"prompt": "a", "output_format": "x" * 500})

    assert len(str(caught.value)) < 150
    assert str(caught.value).endswith("...)")


def test_files_are_read_completely_even_after_short_reads(tmp_path: Path) -> None:
    class Trickle(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            return super().read(min(size or 1, 5) if size and size > 0 else size)

    assert _read_exactly(Trickle(b"0123456789abcdef"), 12) == b"0123456789ab"
    assert _read_exactly(Trickle(b"0123"), 12) == b"0123"
