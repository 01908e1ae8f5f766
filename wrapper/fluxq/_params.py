"""Model parameters: validated locally with the generated models, then encoded as a streamed JSON body.

Validation uses ``fluxq_models`` (strict pydantic models carrying the spec's ranges, multiples and enums).
Which fields may be ``null`` is read from ``fluxq_api``'s models, whose annotations follow the spec exactly
(``int | None | Unset`` only where the spec allows ``null``): the pydantic models accept ``None`` for every
optional field, so they cannot tell.
"""

from __future__ import annotations

import difflib
import json
import types
import typing
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import pydantic
from pydantic.fields import FieldInfo

import fluxq_api.models as wire_models
import fluxq_generation_api.models as generation_wire_models
import fluxq_generation_models
import fluxq_models

from ._exceptions import ValidationError
from ._generated_generation import GENERATION_INPUT_SCHEMAS
from ._generated_models import INPUT_SCHEMAS, ModelId
from ._images import ImageSource, image_source


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """What fluxq knows about one model.

    Attributes:
        id: The model id used in paths.
        input_model: The validating pydantic model from ``fluxq_models``.
        wire_model: The ``fluxq_api`` attrs model (its annotations say which fields are nullable).
    """

    id: str
    input_model: type[pydantic.BaseModel]
    wire_model: type

    @property
    def nullable_fields(self) -> frozenset[str]:
        """Fields the spec allows to be ``null``."""
        return _nullable_fields(self.wire_model)

    @property
    def image_fields(self) -> Mapping[str, bool]:
        """Image fields, each mapped to whether it accepts an http(s) URL."""
        return _image_fields(self.input_model)


MODELS: Mapping[str, ModelInfo] = {
    model: ModelInfo(model, getattr(fluxq_models, schema), getattr(wire_models, schema))
    for model, schema in INPUT_SCHEMAS.items()
}
"""The models of the spec, by id (the table is generated from the spec: `INPUT_SCHEMAS`)."""

GENERATION_MODELS: Mapping[str, ModelInfo] = {
    model: ModelInfo(model, getattr(fluxq_generation_models, schema), getattr(generation_wire_models, schema))
    for model, schema in GENERATION_INPUT_SCHEMAS.items()
}
"""The models of the generation format's document, by id (their bodies carry ``model``; generated table)."""

_URL_IMAGES = (fluxq_models.ReferenceImage, fluxq_generation_models.ReferenceImage)
_DATA_IMAGES = (fluxq_models.InputImage, fluxq_generation_models.InputImage)


@cache
def _nullable_fields(wire_model: type) -> frozenset[str]:
    hints = typing.get_type_hints(wire_model)
    return frozenset(name for name, hint in hints.items() if types.NoneType in typing.get_args(hint))


@cache
def _image_fields(input_model: type[pydantic.BaseModel]) -> Mapping[str, bool]:
    fields: dict[str, bool] = {}
    hints = typing.get_type_hints(input_model)  # resolves the generated forward references
    for name in input_model.model_fields:
        members = typing.get_args(hints[name])
        if any(kind in members for kind in _URL_IMAGES):
            fields[name] = True
        elif any(kind in members for kind in _DATA_IMAGES):
            fields[name] = False
    return fields


def model_info(model: str, models: Mapping[str, ModelInfo] = MODELS) -> ModelInfo:
    """Return the `ModelInfo` of a model id.

    Args:
        model: The model id.
        models: The format's models (`MODELS` or `GENERATION_MODELS`).

    Raises:
        ValidationError: If the model is not one of the spec's models.
    """
    try:
        return models[model]
    except KeyError:
        known = ", ".join(models)
        raise ValidationError([f"model: unknown model {model!r} (known: {known})"], "model") from None


def model_id(name: str) -> ModelId:
    """Return ``name`` typed as a model id (for ids read at run time: CLI arguments, files).

    Raises:
        ValidationError: If it is not one of the spec's models (naming the known ones).
    """
    model_info(name)
    return typing.cast("ModelId", name)  # checked just above against the spec's models


@dataclass(frozen=True, slots=True)
class JsonBody:
    """A JSON object body whose image fields are base64-encoded while it is sent.

    Attributes:
        parts: Literal byte runs and image sources, in order.
        length: The body's size in bytes (sent as ``Content-Length``).
    """

    parts: tuple[bytes | ImageSource, ...]
    length: int

    def sync_content(self) -> bytes | Iterator[bytes]:
        """The body for a sync send: one ``bytes`` when it holds no image, else a fresh chunk stream."""
        inline = self._inline()
        return self.iter_bytes() if inline is None else inline

    def async_content(self) -> bytes | AsyncIterator[bytes]:
        """The body for an async send: one ``bytes`` when it holds no image, else a fresh chunk stream."""
        inline = self._inline()
        return self.aiter_bytes() if inline is None else inline

    def _inline(self) -> bytes | None:
        """The whole body when it holds no image (small: streaming it would only cost CPU)."""
        literal = [part for part in self.parts if isinstance(part, bytes)]
        return b"".join(literal) if len(literal) == len(self.parts) else None

    def iter_bytes(self) -> Iterator[bytes]:
        """Yield the body in chunks (a fresh pass on every call, so a retry can re-send it)."""
        for part in self.parts:
            if isinstance(part, bytes):
                yield part
            else:
                yield from part.iter_encoded()

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        """Yield the body in chunks, for an async client."""
        for chunk in self.iter_bytes():
            yield chunk


def _encode_body(validated: pydantic.BaseModel, images: Mapping[str, ImageSource]) -> JsonBody:
    """Encode validated parameters as compact JSON, image fields streamed from their sources."""
    if not images:  # the common case: pydantic-core writes the whole body (compact, UTF-8) at once
        whole = validated.__pydantic_serializer__.to_json(validated, exclude_unset=True)
        return JsonBody((whole,), len(whole))
    fields = validated.model_dump(mode="json", exclude_unset=True)
    parts: list[bytes | ImageSource] = []
    pending = "{"
    for index, (name, value) in enumerate(fields.items()):
        pending += ("," if index else "") + json.dumps(name) + ":"
        if name in images:
            parts += [(pending + '"').encode("ascii"), images[name]]
            pending = '"'
        else:
            pending += json.dumps(value, separators=(",", ":"))
    parts.append((pending + "}").encode("ascii"))
    length = sum(len(p) if isinstance(p, bytes) else p.encoded_length() for p in parts)
    return JsonBody(tuple(parts), length)


_RULES: dict[str, str] = {
    "missing": "is required",
    "multiple_of": "must be a multiple of {multiple_of}",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "greater_than": "must be greater than {gt}",
    "less_than": "must be less than {lt}",
    "string_pattern_mismatch": "must match the pattern {pattern}",
    "literal_error": "must be one of {expected}",
    "int_type": "must be an integer",
    "bool_type": "must be true or false",
    "string_type": "must be a string",
}


def _or_list(values: Sequence[str]) -> str:
    return values[0] if len(values) == 1 else f"{', '.join(values[:-1])} or {values[-1]}"


def describe_problem(
    error: Mapping[str, Any], model: str, fields: Mapping[str, FieldInfo] | None = None
) -> str:
    """Return ``"field: rule (got value)"`` for one pydantic error.

    A parameter that does not exist gets the closest real one suggested (``widht`` → ``width``); a
    pattern mismatch says what is expected with the spec's examples rather than the regex.

    Args:
        error: One entry of ``pydantic.ValidationError.errors()``.
        model: The model id (named when a parameter does not exist).
        fields: The model's parameters (their names and spec examples), for suggestions.
    """
    field = ".".join(str(part) for part in error["loc"]) or "body"
    kind: str = error["type"]
    context = error.get("ctx") or {}
    known = fields or {}
    examples = [str(item) for item in (getattr(known.get(field), "examples", None) or [])]
    suggestion = ""
    if kind == "extra_forbidden":
        rule = f"is not a parameter of {model}"
        close = difflib.get_close_matches(field, list(known), n=1, cutoff=0.6)
        suggestion = f"; did you mean {close[0]!r}?" if close else ""
    elif kind == "string_pattern_mismatch" and examples:
        rule = f"expected a value like {_or_list(examples)}"
    elif kind == "string_too_short":
        min_length = context.get("min_length", 1)
        rule = "must not be empty" if min_length == 1 else f"must have at least {min_length} characters"
    elif kind in _RULES:
        rule = _RULES[kind].format(**context)
    else:
        message: str = error["msg"]
        rule = message[:1].lower() + message[1:]
    if kind == "missing":
        return f"{field}: {rule}"
    shown = repr(error.get("input"))
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return f"{field}: {rule} (got {shown}){suggestion}"


def prepare_body(
    model: str,
    params: Mapping[str, Any] | pydantic.BaseModel,
    *,
    models: Mapping[str, ModelInfo] = MODELS,
    fields: Mapping[str, str] | None = None,
) -> JsonBody:
    """Validate a model's parameters and encode them as a JSON body.

    Args:
        model: The model id.
        params: Keyword parameters (``None`` means "omit the field") or a ready generated-model instance
            (an explicit ``None`` in it is sent as ``null`` where the spec allows it).
        models: The format's models (`MODELS`, or `GENERATION_MODELS` whose bodies carry ``model``).
        fields: Fields the format puts in the body besides the parameters (``{"model": ...}``), first.

    Raises:
        ValidationError: Naming each field and broken rule; nothing is sent.
    """
    info = model_info(model, models)
    if isinstance(params, pydantic.BaseModel) and fields and not isinstance(params, info.input_model):
        # A queue-format instance (``fluxq_models``) for a generation client: the same parameters,
        # re-checked below against the generation document's rules.
        params = params.model_dump(exclude_unset=True)
    if isinstance(params, pydantic.BaseModel):
        if not isinstance(params, info.input_model):
            raise ValidationError(
                [f"body: expected {info.input_model.__name__} for {model} (got {type(params).__name__})"]
            )
        values = params.model_dump(exclude_unset=True)
        nulls = [f"{name}: must not be null (omit it instead)" for name, v in values.items() if v is None]
        problems = [p for p in nulls if p.split(":", 1)[0] not in info.nullable_fields]
        if problems:
            raise ValidationError(problems, problems[0].split(":", 1)[0])
    else:
        values = {name: value for name, value in params.items() if value is not None}
    if fields:
        clashes = [name for name in fields if name in values and values[name] != fields[name]]
        if clashes:
            raise ValidationError(
                [
                    f"{name}: is set by the client ({fields[name]!r}), not a parameter of {model}"
                    for name in clashes
                ],
                clashes[0],
            )
        values = {**fields, **{name: value for name, value in values.items() if name not in fields}}
    images: dict[str, ImageSource] = {}
    for name, accepts_url in info.image_fields.items():
        if values.get(name) is not None:
            images[name] = image_source(name, values[name], accepts_url=accepts_url)
            values[name] = ""
    try:
        validated = info.input_model.model_validate(values)
    except pydantic.ValidationError as exc:
        known = info.input_model.model_fields
        problems = [describe_problem(error, model, known) for error in exc.errors()]
        first = ".".join(str(part) for part in exc.errors()[0]["loc"])
        raise ValidationError(problems, first) from None
    return _encode_body(validated, images)
