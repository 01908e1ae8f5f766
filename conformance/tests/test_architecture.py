"""The layering drawn in ARCHITECTURE.md, enforced on every import statement (also lazy ones)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: Generated packages (one pair per spec document): they import nothing hand-written.
GENERATED = {
    path.name: path for path in sorted((ROOT / "generated").iterdir()) if (path / "__init__.py").exists()
}
#: Top-level packages and the first-party packages each may import (besides itself).
ALLOWED_PACKAGES: dict[str, frozenset[str]] = {
    **{name: frozenset(GENERATED) for name in GENERATED},
    "fluxq_spec": frozenset(),
    "fluxq": frozenset(GENERATED),
    "fluxq_reference": frozenset({*GENERATED, "fluxq_spec"}),
    "fluxq_conformance": frozenset({*GENERATED, "fluxq_spec", "fluxq", "fluxq_reference"}),
}
PACKAGE_DIRS = {
    **GENERATED,
    "fluxq_spec": ROOT / "spec" / "fluxq_spec",
    "fluxq": ROOT / "wrapper" / "fluxq",
    "fluxq_reference": ROOT / "conformance" / "fluxq_reference",
    "fluxq_conformance": ROOT / "conformance" / "fluxq_conformance",
}
#: Layers inside fluxq_conformance: a sub-package imports only lower layers (and itself).
CONFORMANCE_LAYERS = {"core": 0, "checks": 1, "cassettes": 2, "report": 2, "run": 3}
TOP = 4  # cli, __main__, __init__: may import every layer


def imported_modules(source: str, module: str) -> Iterator[str]:
    """Every absolute module name an import statement in ``source`` names (relative ones resolved)."""
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                yield f"{base}.{node.module}" if node.module else base
            elif node.module:
                yield node.module


def conformance_layer(module: str) -> int:
    parts = module.split(".")
    return CONFORMANCE_LAYERS.get(parts[1], TOP) if len(parts) > 1 else TOP


def violations(module: str, source: str) -> list[str]:
    """The imports of ``module`` (a dotted name) that break the layering."""
    own = module.split(".")[0]
    found = []
    for target in imported_modules(source, module):
        top = target.split(".")[0]
        if top not in ALLOWED_PACKAGES or (top == own and own != "fluxq_conformance"):
            continue
        if top != own and top not in ALLOWED_PACKAGES[own]:
            found.append(f"{module} imports {target}: {own} may not import {top}")
        elif top == own == "fluxq_conformance":
            mine, theirs = conformance_layer(module), conformance_layer(target)
            same_package = module.split(".")[1:2] == target.split(".")[1:2]
            if mine < TOP and not same_package and theirs >= mine:
                found.append(f"{module} imports {target}: layer {theirs} is not below layer {mine}")
    return found


def modules() -> Iterator[tuple[str, Path]]:
    for package, directory in PACKAGE_DIRS.items():
        for path in sorted(directory.rglob("*.py")):
            relative = path.relative_to(directory).with_suffix("")
            parts = [part for part in relative.parts if part != "__init__"]
            yield ".".join([package, *parts]), path


def test_every_import_follows_the_layering() -> None:
    problems = [
        problem
        for module, path in modules()
        for problem in violations(module, path.read_text(encoding="utf-8"))
    ]
    assert problems == []


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("fluxq_conformance.core.spec", "from fluxq_conformance.checks.registry import Family\n"),
        ("fluxq_conformance.checks.auth", "def f():\n    from fluxq_conformance.run import runner\n"),
        ("fluxq_conformance.report.console", "import fluxq_conformance.cassettes.replay\n"),
        ("fluxq_reference.app", "from fluxq_conformance.core import spec\n"),
        ("fluxq._client", "import fluxq_reference\n"),
        ("fluxq_models", "from fluxq import Client\n"),
        ("fluxq_conformance.checks.lifecycle", "from ..run import driver\n"),
    ],
)
def test_an_upward_import_is_caught(module: str, source: str) -> None:
    assert len(violations(module, source)) == 1


def test_allowed_imports_pass() -> None:
    assert (
        violations("fluxq_conformance.run.runner", "from fluxq_conformance.checks import lifecycle\n") == []
    )
    assert violations("fluxq_conformance.cli", "from fluxq_conformance.report import console\n") == []
    assert violations("fluxq_reference.app", "import fluxq_spec\nfrom . import bodies\n") == []


def test_the_cli_sections_are_the_registry_families() -> None:
    from fluxq_conformance.checks.registry import Family
    from fluxq_conformance.cli import SECTIONS

    assert tuple(Family) == SECTIONS
