"""Image inputs: a path, bytes, a PIL image or a string, encoded for the JSON body without copies.

An image parameter accepts:

- ``pathlib.Path`` (any ``os.PathLike``): a file, read and base64-encoded in chunks while the body is sent;
- ``bytes`` / ``bytearray`` / ``memoryview``: raw image bytes, base64-encoded in chunks while sent;
- a PIL image (Pillow is optional and never imported by fluxq): saved once to an in-memory file;
- ``str``: sent as given — an ``http(s)://`` URL (only where the model accepts URLs), a ``data:`` URI,
  or base64 data.

Each image is limited to `MAX_IMAGE_BYTES` of image data, checked before anything is sent. Encoding
streams: the body never holds a second full copy of an image, so a submit with four 20 MB images stays
near the size of its inputs.
"""

from __future__ import annotations

import base64
import io
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ._exceptions import ValidationError

MAX_IMAGE_BYTES = 20 * 1024 * 1024
"""The providers' limit per image (20 MB of image data)."""

_RAW_CHUNK = 3 * 16 * 1024
"""Raw bytes per base64 chunk (a multiple of 3, so chunks concatenate without padding)."""
_TEXT_CHUNK = 64 * 1024


class PILImageLike(Protocol):
    """What fluxq needs from a PIL image (``PIL.Image.Image``)."""

    format: str | None

    def save(self, fp: Any, format: Any = None, **params: Any) -> None:
        """Write the image to ``fp``."""


ImageInput = str | bytes | bytearray | memoryview | os.PathLike[str] | PILImageLike
"""Anything an image parameter accepts (see the module docstring)."""


class ImageSource(Protocol):
    """An image prepared for the body: its JSON string content, produced in chunks."""

    def encoded_length(self) -> int:
        """Return the number of bytes `iter_encoded` yields."""

    def iter_encoded(self) -> Iterator[bytes]:
        """Yield the JSON string content (without quotes) in chunks."""


@dataclass(frozen=True, slots=True)
class _BytesSource:
    data: memoryview

    def encoded_length(self) -> int:
        return 4 * ((len(self.data) + 2) // 3)

    def iter_encoded(self) -> Iterator[bytes]:
        for start in range(0, len(self.data), _RAW_CHUNK):
            yield base64.b64encode(self.data[start : start + _RAW_CHUNK])


@dataclass(frozen=True, slots=True)
class _FileSource:
    path: Path
    size: int

    def encoded_length(self) -> int:
        return 4 * ((self.size + 2) // 3)

    def iter_encoded(self) -> Iterator[bytes]:
        with self.path.open("rb") as file:
            while chunk := _read_exactly(file, _RAW_CHUNK):
                yield base64.b64encode(chunk)


@dataclass(frozen=True, slots=True)
class _TextSource:
    text: str

    def encoded_length(self) -> int:
        return sum(len(chunk) for chunk in self.iter_encoded())

    def iter_encoded(self) -> Iterator[bytes]:
        for start in range(0, len(self.text), _TEXT_CHUNK):
            yield json.dumps(self.text[start : start + _TEXT_CHUNK])[1:-1].encode("ascii")


def _read_exactly(file: io.BufferedIOBase, size: int) -> bytes:
    """Read ``size`` bytes unless the file ends first (short reads are completed)."""
    chunk = file.read(size)
    while chunk and len(chunk) < size:
        more = file.read(size - len(chunk))
        if not more:
            break
        chunk += more
    return chunk


def _too_large(field: str, size: int) -> ValidationError:
    return ValidationError(
        [f"{field}: must be at most {MAX_IMAGE_BYTES // (1024 * 1024)} MB of image data (got {size} bytes)"],
        field,
    )


def _is_pil_image(value: object) -> bool:
    module = sys.modules.get("PIL.Image")
    image_class = getattr(module, "Image", None)
    return isinstance(image_class, type) and isinstance(value, image_class)


def _decoded_size(text: str) -> int:
    """Return the image size a base64 string or ``data:`` URI decodes to (padding-aware)."""
    payload = text.split(",", 1)[1] if text.startswith("data:") else text
    payload = payload.strip()
    return len(payload) * 3 // 4 - payload[-2:].count("=")


def is_url(text: str) -> bool:
    """Return True for an ``http://`` or ``https://`` URL."""
    return text.lower().startswith(("http://", "https://"))


def image_source(field: str, value: object, *, accepts_url: bool) -> ImageSource:
    """Prepare an image parameter for the body, checking its kind and size.

    Args:
        field: The parameter's name (for error messages).
        value: What the caller passed (see `ImageInput`).
        accepts_url: Whether the model accepts an image URL in this field.

    Raises:
        ValidationError: For an unsupported value, a missing file, a URL where only image data is
            accepted, or an image over `MAX_IMAGE_BYTES`.
    """
    if isinstance(value, str):
        if is_url(value):
            if not accepts_url:
                rule = "this model accepts image data only, not a URL (pass a path, bytes or a PIL image)"
                raise ValidationError([f"{field}: {rule}"], field)
            return _TextSource(value)
        if _decoded_size(value) > MAX_IMAGE_BYTES:
            raise _too_large(field, _decoded_size(value))
        return _TextSource(value)
    if isinstance(value, bytes | bytearray | memoryview):
        data = memoryview(value).cast("B")
        if len(data) > MAX_IMAGE_BYTES:
            raise _too_large(field, len(data))
        return _BytesSource(data)
    if isinstance(value, os.PathLike):
        path = Path(value)
        try:
            size = path.stat().st_size
            if not path.is_file():
                raise (
                    IsADirectoryError(21, "not a regular file")
                    if path.is_dir()
                    else OSError(0, "not a regular file")
                )
            with path.open("rb") as probe:  # readable now, so the body cannot fail half-sent
                probe.read(1)
        except OSError as exc:
            raise ValidationError(
                [f"{field}: cannot read image file {str(path)!r} ({exc.strerror or exc})"], field
            ) from None
        if size > MAX_IMAGE_BYTES:
            raise _too_large(field, size)
        return _FileSource(path, size)
    if _is_pil_image(value):
        buffer = io.BytesIO()
        image: PILImageLike = value  # type: ignore[assignment]  # checked by _is_pil_image
        image.save(buffer, format=image.format or "PNG")
        return image_source(field, buffer.getbuffer(), accepts_url=accepts_url)
    raise ValidationError(
        [f"{field}: must be a path, bytes, a PIL image or a string (got {type(value).__name__})"], field
    )
