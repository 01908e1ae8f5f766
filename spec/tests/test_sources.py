"""The page snapshots under spec/sources/ and the spec's ``x-fluxq-source`` quotes from them."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

SOURCES = Path(__file__).resolve().parent.parent / "sources"
BASES = {"documented", "evidence", "choice"}
CONSTRAINTS = {"minimum", "maximum", "multipleOf", "enum", "default", "minLength", "pattern", "type"}


def _normalised(text: str) -> str:
    return " ".join(text.split())


def _annotations(node: Any, path: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        raw = node.get("x-fluxq-source")
        if raw is not None:
            for entry in raw if isinstance(raw, list) else [raw]:
                yield path, entry
        for key, value in node.items():
            if key != "x-fluxq-source":
                yield from _annotations(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _annotations(value, f"{path}/{index}")


@pytest.fixture(scope="module")
def index() -> list[dict[str, Any]]:
    loaded: dict[str, Any] = yaml.safe_load((SOURCES / "index.yaml").read_text(encoding="utf-8"))
    snapshots: list[dict[str, Any]] = loaded["snapshots"]
    return snapshots


def test_the_index_lists_every_snapshot_with_its_provenance(index: list[dict[str, Any]]) -> None:
    listed = {entry["file"] for entry in index}
    on_disk = {path.name for path in SOURCES.iterdir() if path.name != "index.yaml"}
    assert listed == on_disk
    for entry in index:
        assert {"provider", "page", "documents", "taken", "sha256"} <= set(entry), entry["file"]


def test_snapshots_are_never_edited(index: list[dict[str, Any]]) -> None:
    for entry in index:
        digest = hashlib.sha256((SOURCES / entry["file"]).read_bytes()).hexdigest()
        assert digest == entry["sha256"], f"{entry['file']} changed: add a new snapshot instead"


def test_every_quote_still_occurs_in_its_snapshot(spec: dict[str, Any], index: list[dict[str, Any]]) -> None:
    files = {entry["file"] for entry in index}
    annotations = list(_annotations(spec))
    assert annotations, "the spec carries no x-fluxq-source"
    for where, entry in annotations:
        assert entry.get("basis") in BASES, f"{where}: basis must be one of {sorted(BASES)}"
        if entry["basis"] != "choice":
            # `doc` names a page fluxq cites but has no snapshot of yet (the queue protocol pages).
            assert entry.get("page") or entry.get("doc"), f"{where}: {entry['basis']} needs a page (or doc)"
            assert entry.get("quote"), f"{where}: {entry['basis']} needs a quote"
        if entry.get("page") is None:
            continue
        assert entry["page"] in files, f"{where}: {entry['page']} is not a snapshot in spec/sources"
        text = _normalised((SOURCES / entry["page"]).read_text(encoding="utf-8"))
        assert _normalised(str(entry["quote"])) in text, f"{where}: quote not found in {entry['page']}"


def test_every_model_parameter_constraint_has_a_source(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    for name, schema in schemas.items():
        if not name.endswith("Input"):
            continue
        for prop, node in schema["properties"].items():
            target = schemas[node["$ref"].rsplit("/", 1)[-1]] if "$ref" in node else node
            if CONSTRAINTS & set(target):
                assert "x-fluxq-source" in target, f"{name}.{prop} has constraints but no x-fluxq-source"


RESPONSE_RULES = (
    ("responses", "Status"),
    ("responses", "NotReady"),
    ("responses", "Result"),
    ("responses", "TaskFailed"),
    ("responses", "InvalidInput"),
    ("responses", "Unauthorized"),
    ("responses", "Forbidden"),
    ("responses", "NotFound"),
    ("responses", "RateLimited"),
    ("responses", "ServerError"),
    ("responses", "CancelAccepted"),
    ("responses", "CancelRefused"),
    ("responses", "CancelUnsupported"),
    ("responses", "CancelNotFound"),
    ("schemas", "QueueSubmission"),
    ("schemas", "TaskStatus"),
    ("schemas", "QueueStatus"),
    ("schemas", "QueueResult"),
    ("schemas", "FailedResult"),
    ("schemas", "OutputItem"),
    ("schemas", "CancelReply"),
    ("schemas", "GatewayError"),
    ("schemas", "ApplicationError"),
    ("schemas", "ErrorType"),
)


@pytest.mark.parametrize(("section", "name"), RESPONSE_RULES)
def test_every_response_rule_has_a_source(spec: dict[str, Any], section: str, name: str) -> None:
    assert spec["components"][section][name].get("x-fluxq-source"), f"{section}/{name} has no x-fluxq-source"


def test_every_response_component_is_listed(spec: dict[str, Any]) -> None:
    listed = {name for section, name in RESPONSE_RULES if section == "responses"}
    submitted = {name for name in spec["components"]["responses"] if name.startswith("Submitted")}
    # The Submitted* replies share QueueSubmission's source.
    assert set(spec["components"]["responses"]) - submitted == listed
