"""Real output images: a seeded gradient with a few shapes, encoded with Pillow.

Images are drawn lazily (at the first download) and kept in a byte-bounded LRU cache; an
evicted image is drawn again identically, because drawing depends only on the plan.
"""

from __future__ import annotations

import io
import random
from collections import OrderedDict

from PIL import Image, ImageDraw

from fluxq_reference.planning import OutputPlan

CONTENT_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}
EXTENSIONS = {"png": "png", "jpeg": "jpg", "webp": "webp"}
_SHAPES = 4
_GRADIENT_LEVELS = 256 - _SHAPES


def content_type_of(image_format: str) -> str:
    """The media type of an output format (``png``, ``jpeg``, ``webp``)."""
    return CONTENT_TYPES.get(image_format, "application/octet-stream")


def extension_of(image_format: str) -> str:
    """The file extension of an output format."""
    return EXTENSIONS.get(image_format, image_format)


def _palette(rng: random.Random) -> list[int]:
    """256 RGB entries: a gradient between two drawn colours, then one colour per shape."""
    start = [rng.randrange(256) for _ in range(3)]
    end = [rng.randrange(256) for _ in range(3)]
    palette: list[int] = []
    for level in range(_GRADIENT_LEVELS):
        palette.extend(a + (b - a) * level // (_GRADIENT_LEVELS - 1) for a, b in zip(start, end, strict=True))
    for _ in range(_SHAPES):
        palette.extend(rng.randrange(256) for _ in range(3))
    return palette


def render(plan: OutputPlan) -> bytes:
    """Draw and encode the image of ``plan`` (same plan, same bytes).

    The picture is drawn as a palette image (cheap to draw and to encode as PNG) and converted
    to RGB for JPEG and WebP.

    Raises:
        ValueError: If the format is not one of ``png``, ``jpeg``, ``webp``.
    """
    if plan.image_format not in CONTENT_TYPES:
        raise ValueError(f"unsupported output format {plan.image_format!r}")
    rng = random.Random(plan.seed)
    levels = Image.linear_gradient("L").point(lambda value: value * (_GRADIENT_LEVELS - 1) // 255)
    image = levels.resize((plan.width, plan.height), Image.Resampling.NEAREST)
    image = image.convert("P")
    image.putpalette(_palette(rng))
    draw = ImageDraw.Draw(image)
    for index in range(_SHAPES):
        x0, x1 = sorted(rng.randrange(plan.width) for _ in range(2))
        y0, y1 = sorted(rng.randrange(plan.height) for _ in range(2))
        shape = draw.ellipse if index % 2 else draw.rectangle
        shape((x0, y0, x1, y1), fill=_GRADIENT_LEVELS + index)
    buffer = io.BytesIO()
    if plan.image_format == "png":
        image.save(buffer, "PNG", compress_level=1)
    elif plan.image_format == "jpeg":
        image.convert("RGB").save(buffer, "JPEG", quality=85)
    else:
        image.convert("RGB").save(buffer, "WEBP", quality=80, method=0)
    return buffer.getvalue()


class OutputCache:
    """A least-recently-used cache of rendered images, bounded in bytes.

    Args:
        max_bytes: The most bytes kept; an image larger than this is never kept.
    """

    def __init__(self, max_bytes: int) -> None:
        self._max_bytes = max_bytes
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._bytes = 0

    @property
    def size_bytes(self) -> int:
        """Bytes currently kept."""
        return self._bytes

    def get(self, key: str) -> bytes | None:
        """The cached bytes under ``key`` (marking them recently used), or ``None``."""
        cached = self._entries.get(key)
        if cached is not None:
            self._entries.move_to_end(key)
        return cached

    def put(self, key: str, data: bytes) -> None:
        """Keep ``data`` under ``key``, evicting the least recently used entries beyond the bound."""
        if key in self._entries or len(data) > self._max_bytes:
            return
        self._entries[key] = data
        self._bytes += len(data)
        while self._bytes > self._max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self._bytes -= len(evicted)
