"""Checks of numeric arguments (durations, counts), the one place that owns their rules.

Each check raises `ValidationError` naming the argument before anything is sent: NaN, zero or
negative durations would busy-poll or never time out; a negative retry count means nothing.
"""

from __future__ import annotations

import math

from ._exceptions import ValidationError


def check_seconds(name: str, value: object, *, allow_inf: bool = False) -> float:
    """Return ``value`` as seconds after checking it is a positive number (finite unless ``allow_inf``).

    Raises:
        ValidationError: Not a number, NaN, zero, negative, or infinite when not allowed.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError([f"{name}: must be a number of seconds (got {type(value).__name__})"], name)
    seconds = float(value)
    if math.isnan(seconds) or seconds <= 0 or (math.isinf(seconds) and not allow_inf):
        rule = "a positive number of seconds" + (" (math.inf: no limit)" if allow_inf else ", finite")
        raise ValidationError([f"{name}: must be {rule} (got {value!r})"], name)
    return seconds


def check_count(name: str, value: object, *, minimum: int = 0) -> int:
    """Return ``value`` after checking it is an integer of at least ``minimum``.

    Raises:
        ValidationError: Not an integer, or below ``minimum``.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError([f"{name}: must be an integer (got {type(value).__name__})"], name)
    if value < minimum:
        raise ValidationError([f"{name}: must be {minimum} or more (got {value})"], name)
    return value
