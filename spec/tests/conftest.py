"""Fixtures for the spec's own tests: the parsed document and a schemathesis view of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, settings

SPEC_PATH = Path(__file__).resolve().parent.parent / "fluxq.openapi.yaml"

settings.register_profile(
    "spec",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="session")
def st_schema() -> Any:
    return schemathesis.openapi.from_path(str(SPEC_PATH))
