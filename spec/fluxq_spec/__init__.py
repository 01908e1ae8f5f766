"""The one loader of fluxq's OpenAPI documents, shipped with the wheel.

The hand-written spec lives in ``spec/`` of the source tree (the single source). The wheel carries a
copy as package data of this package (``fluxq_spec/fluxq.openapi.yaml``, put there by the build), so an
installed ``fluxq`` finds it anywhere; an editable install (a checkout) reads ``spec/`` itself. Every
reader — the reference provider, the conformance suite, schemathesis — goes through :func:`spec_path`
or :func:`load_spec`. ``$FLUXQ_SPEC`` overrides both.
"""

from __future__ import annotations

import copy
import functools
import os
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

__all__ = ["GENERATION_SPEC", "QUEUE_SPEC", "SPEC_ENV", "cached_spec", "data_path", "load_spec", "spec_path"]

SPEC_ENV = "FLUXQ_SPEC"
#: The queue protocol's document (file name inside the package data and inside ``spec/``).
QUEUE_SPEC = "fluxq.openapi.yaml"
#: The generation format's document (seed 003; create a task with ``model`` in the body, then poll it).
GENERATION_SPEC = "fluxq.generation.openapi.yaml"


def data_path(name: str) -> Path:
    """Return a data file shipped with the spec (``name`` relative to ``spec/``).

    The wheel's package data comes first; a source checkout (editable install) falls back to
    ``spec/`` next to this package, which is where the build copies it from.

    Raises:
        FileNotFoundError: If neither place has it.
    """
    packaged = resources.files(__name__).joinpath(name)
    # Installed wheels unpack into real directories, so the traversable is a filesystem path.
    if isinstance(packaged, Path) and packaged.exists():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.exists():
        return checkout
    raise FileNotFoundError(f"{name} is not shipped with fluxq_spec (looked in {packaged} and {checkout})")


def spec_path(name: str = QUEUE_SPEC) -> Path:
    """Return the spec file: ``$FLUXQ_SPEC`` when set (queue spec only), else the shipped one.

    Raises:
        FileNotFoundError: If the file does not exist.
    """
    override = os.environ.get(SPEC_ENV) if name == QUEUE_SPEC else None
    if override:
        path = Path(override)
        if not path.is_file():
            raise FileNotFoundError(f"${SPEC_ENV} names {path}, which is not a file")
        return path
    return data_path(name)


@functools.cache
def _parse(path: Path) -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loaded: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - safe loader
    return loaded


def load_spec(name: str = QUEUE_SPEC) -> dict[str, Any]:
    """Return a deep copy of the parsed spec (callers may change it freely).

    Raises:
        FileNotFoundError: If the spec cannot be found.
        yaml.YAMLError: If it is not YAML.
    """
    return copy.deepcopy(_parse(spec_path(name)))


def cached_spec(name: str = QUEUE_SPEC) -> dict[str, Any]:
    """Return the parsed spec shared by every caller of this process (do not modify it)."""
    return _parse(spec_path(name))
