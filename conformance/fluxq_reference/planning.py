"""Pure decisions taken at submit: output size and format, prompt markers, planned outcome.

Prompt markers let a test ask for an outcome (the prompt is read, never changed):

- ``[fluxq:error=TYPE]`` — the task ends ``COMPLETED`` with ``error_type: TYPE`` (any string,
  known or not, e.g. ``CONTENT_BLOCKED``, ``INFERENCE_TIMEOUT``, ``SOMETHING_NEW``);
- ``[fluxq:queue=SECONDS]`` — the task waits at least that long in the queue;
- ``[fluxq:run=SECONDS]`` — the task runs that long once a worker takes it.

Output sizes: FLUX 1.1 [pro] uses ``width``/``height`` (defaults 1024×768); FLUX.2 [pro] too
(1024×768 when absent; above ``max_megapixels`` the task fails with ``REQUEST_INVALID`` when a
worker takes it); Kontext follows ``aspect_ratio`` (default 1:1, clamped to [9:21, 21:9]) at
about one megapixel, each side a multiple of 32.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

DEFAULT_WIDTH = 1024
DEFAULT_HEIGHT = 768
KONTEXT_AREA = 1024 * 1024
MIN_RATIO = 9 / 21
MAX_RATIO = 21 / 9
SIDE_STEP = 32

_MARKER = re.compile(r"\[fluxq:(error|queue|run)=([^\]\s]+)\]")

ERROR_MESSAGES = {
    "CANCELED": "The request was canceled.",
    "CONTENT_BLOCKED": "The output was blocked by content moderation.",
    "INFERENCE_FAILURE": "The model failed to generate an image.",
    "INFERENCE_TIMEOUT": "The model did not finish in time.",
    "INTERNAL_SERVER_ERROR": "The provider failed while running the task.",
    "REQUEST_INVALID": "The request was refused by the model.",
}


@dataclass(frozen=True)
class Markers:
    """Outcome requests found in a prompt (``None`` where not given)."""

    error_type: str | None = None
    queue_seconds: float | None = None
    run_seconds: float | None = None


@dataclass(frozen=True)
class OutputPlan:
    """What a successful task will produce.

    Attributes:
        width: Output width in pixels.
        height: Output height in pixels.
        image_format: ``png``, ``jpeg`` or ``webp``.
        seed: The seed the image is drawn from (the request's, or a drawn one).
    """

    width: int
    height: int
    image_format: str
    seed: int


def parse_markers(prompt: str) -> Markers:
    """Read the ``[fluxq:...]`` markers of a prompt; malformed numbers are ignored."""
    found: dict[str, str] = {}
    for key, value in _MARKER.findall(prompt):
        found.setdefault(key, value)
    return Markers(
        error_type=found.get("error"),
        queue_seconds=_seconds(found.get("queue")),
        run_seconds=_seconds(found.get("run")),
    )


def _seconds(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def parse_ratio(aspect_ratio: str | None) -> float:
    """``W:H`` as a number, clamped to [9/21, 21/9]; 1.0 when absent or unreadable."""
    if not aspect_ratio or ":" not in aspect_ratio:
        return 1.0
    width_text, height_text = aspect_ratio.split(":", 1)
    try:
        ratio = int(width_text) / int(height_text)
    except (ValueError, ZeroDivisionError):
        return 1.0
    return min(max(ratio, MIN_RATIO), MAX_RATIO)


def kontext_size(aspect_ratio: str | None) -> tuple[int, int]:
    """About one megapixel at ``aspect_ratio``, each side a multiple of 32."""
    ratio = parse_ratio(aspect_ratio)
    width = max(SIDE_STEP, round(math.sqrt(KONTEXT_AREA * ratio) / SIDE_STEP) * SIDE_STEP)
    height = max(SIDE_STEP, round(math.sqrt(KONTEXT_AREA / ratio) / SIDE_STEP) * SIDE_STEP)
    return width, height


def output_plan(model_id: str, params: dict[str, Any], drawn_seed: int) -> OutputPlan:
    """Decide the output of a task from its validated parameters.

    Args:
        model_id: The model's id.
        params: The validated parameters (``model_dump()`` of the generated model).
        drawn_seed: The seed to use when the request gives none.
    """
    seed = params.get("seed")
    seed = drawn_seed if seed is None else int(seed)
    image_format = str(params.get("output_format") or "png")
    if "aspect_ratio" in params:  # a model sized by aspect ratio (kontext) rather than width/height
        width, height = kontext_size(params.get("aspect_ratio"))
    else:
        width = int(params.get("width") or DEFAULT_WIDTH)
        height = int(params.get("height") or DEFAULT_HEIGHT)
    return OutputPlan(width, height, image_format, seed)


def exceeds_megapixels(plan: OutputPlan, max_megapixels: float) -> bool:
    """Whether an output is larger than the model can draw."""
    return plan.width * plan.height > max_megapixels * 1_000_000


def error_message(error_type: str) -> str:
    """A human-readable message for an ``error_type``, known or not."""
    return ERROR_MESSAGES.get(error_type, f"The task failed ({error_type}).")
