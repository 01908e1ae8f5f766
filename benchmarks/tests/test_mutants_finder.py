"""`scripts/mutants` (mutation testing, beside the benchmarks): which code it mutates.

Only the finder is tested here — the runner forks pytest on copies of the tree (minutes, not for CI).
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "mutants"


@pytest.fixture(scope="module")
def mutants() -> Iterator[ModuleType]:
    loader = importlib.machinery.SourceFileLoader("fluxq_scripts_mutants", str(SCRIPT))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[loader.name] = module  # its dataclasses look their module up there
    try:
        loader.exec_module(module)
        yield module
    finally:
        del sys.modules[loader.name]


def mutated(mutants: ModuleType, source: str) -> list[tuple[str, str]]:
    """(original, replacement) of every mutant the finder plants in ``source``."""
    module = mutants.Module("sample", "sample.py", ())
    found = mutants.find_mutants(module, textwrap.dedent(source))
    return [(mutant.original, mutant.replacement) for mutant in found]


def test_code_that_runs_is_mutated(mutants: ModuleType) -> None:
    source = """
        LIMIT = 3
        def over(n):
            return n > LIMIT and not n == 7
    """

    found = mutated(mutants, source)

    assert ("3", "(4)") in found
    assert ("n > LIMIT", "(n >= LIMIT)") in found
    assert ("n > LIMIT and not n == 7", "(n > LIMIT or not n == 7)") in found
    assert ("not n == 7", "(n == 7)") in found
    assert ("7", "(8)") in found


def test_type_expressions_are_not_mutated(mutants: ModuleType) -> None:
    source = '''
        import typing
        from typing import Literal, TypeAlias

        Status = Literal["IN_QUEUE", "COMPLETED"]
        Kind: TypeAlias = "dict[str, Status]"
        Other: typing.TypeAlias = typing.Literal[1, 2]
        counted: int = 5
        def status(flag: Literal["on"] = "off") -> Literal["DONE"]:
            """Docstring."""
            return typing.cast(Literal["DONE"], "DONE")
    '''

    found = mutated(mutants, source)

    assert sorted(found) == sorted(
        [
            ("5", "(6)"),  # an annotated assignment's value runs
            ('"off"', "('XXoffXX')"),  # a default runs (at import time)
            ('"DONE"', "('XXDONEXX')"),  # the value cast, not the type it is cast to
        ]
    )
