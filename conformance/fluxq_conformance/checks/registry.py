"""The check registry: every check is declared once, where it is implemented.

A check is a :class:`Check`: its id, its family, what it needs (the task scenarios a trace judge
applies to, whether it can be judged on a recording), the basis of the rule it enforces (contract §6
and §8: ``documented``/``evidence`` → a deviation is a failure, ``choice`` → a warning) and its
description, which is the first paragraph of the implementing function's docstring. The catalog
(``fluxq conformance --list-checks``), the reports, the runner, the replay and the tests all read
this registry; nothing else spells a check's id.

Families register themselves when their module is imported; :func:`all_checks` imports them all.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from fluxq_conformance.core.exchange import Exchange
from fluxq_conformance.core.results import CheckResult, Outcome, tier_for
from fluxq_conformance.core.spec import Kind

__all__ = [
    "INTERNAL_ERRORS",
    "Basis",
    "Check",
    "Family",
    "Verdict",
    "all_checks",
    "catalog_text",
    "check",
    "declare",
    "describe",
    "implemented_by",
    "lookup",
    "settle",
    "trace_checks",
]


class Family(StrEnum):
    """The check families, in the order a run executes them (also the ``--only`` sections)."""

    AUTH = "auth"
    LIFECYCLE = "lifecycle"
    OUTPUTS = "outputs"
    SCHEMA = "schema"
    CLIENT = "client"


class Basis(StrEnum):
    """How sure the rule behind a check is (contract §6, §8)."""

    DOCUMENTED = "documented"
    EVIDENCE = "evidence"
    CHOICE = "choice"


#: Scenario names a trace judge can ask for; ``failure`` covers every ``failure.<TYPE>``.
SCENARIOS = ("success", "cancel", "failure")

# The modules that declare checks (imported by :func:`all_checks`).
_FAMILY_MODULES = (
    "fluxq_conformance.checks.auth",
    "fluxq_conformance.checks.lifecycle",
    "fluxq_conformance.checks.documented",
    "fluxq_conformance.checks.outputs",
    "fluxq_conformance.checks.schema",
    "fluxq_conformance.checks.probes",
    "fluxq_conformance.checks.client",
    "fluxq_conformance.checks.generation",
    "fluxq_conformance.checks.generation_schema",
)


@dataclass(frozen=True)
class Verdict:
    """What a judge found: the outcome, why, and the exchange that shows it.

    ``basis`` and ``location`` name the rule a finding is about when it is not the check's own
    (one check can enforce rules of different bases, e.g. "refuse missing credentials" is documented
    while "refuse them with 401" is a choice).
    """

    outcome: Outcome
    message: str
    evidence: Exchange | None
    basis: Basis | None = None
    location: str | None = None


@dataclass(frozen=True)
class Check:
    """One check.

    Attributes:
        id: The check id; a ``<TYPE>`` part is filled per instance (``lifecycle.failure.<TYPE>``).
        family: Its family.
        description: What it asserts (the catalog entry).
        basis: The basis of the rule it enforces.
        operation: The operation kind its results are reported against, where one applies.
        scenarios: For trace judges, the scenarios it applies to (``()``: every scenario).
        recorded: Whether it can be judged on a recording (timing, for one, is not recorded).
        judge: The trace judge (``TaskTrace -> Verdict``), for checks judged trace by trace.
        location: Where its rule is written (a spec location or a contract section), or ``None``.
    """

    id: str
    family: Family
    description: str
    basis: Basis = Basis.CHOICE
    operation: Kind | None = None
    scenarios: tuple[str, ...] = ()
    recorded: bool = True
    judge: Callable[[Any], Verdict] | None = field(default=None, compare=False)
    location: str | None = None

    def applies_to(self, scenario: str) -> bool:
        """Whether this trace judge applies to a task run for ``scenario``."""
        if not self.scenarios:
            return True
        return scenario in self.scenarios or ("failure" in self.scenarios and scenario.startswith("failure."))

    def instance_id(self, scenario: str = "") -> str:
        """The id a result carries (``<TYPE>`` filled from a ``failure.<TYPE>`` scenario)."""
        if "<TYPE>" in self.id:
            return self.id.replace("<TYPE>", scenario.partition(".")[2] or "UNKNOWN")
        return self.id


_REGISTRY: dict[str, Check] = {}
_IMPLEMENTATIONS: dict[Callable[..., Any], Check] = {}
_Judge = TypeVar("_Judge", bound=Callable[..., Any])


def _first_paragraph(text: str | None) -> str:
    cleaned = inspect.cleandoc(text or "")
    return " ".join(cleaned.split("\n\n", 1)[0].split())


def declare(
    check_id: str,
    family: Family,
    description: str,
    *,
    basis: Basis = Basis.CHOICE,
    operation: Kind | None = None,
    scenarios: tuple[str, ...] = (),
    recorded: bool = True,
    judge: Callable[[Any], Verdict] | None = None,
    location: str | None = None,
) -> Check:
    """Declare a check (for checks implemented elsewhere, e.g. by schemathesis).

    Raises:
        ValueError: If the id is declared twice or a scenario is unknown.
    """
    if check_id in _REGISTRY:
        raise ValueError(f"check {check_id!r} is declared twice")
    unknown = [name for name in scenarios if name not in SCENARIOS]
    if unknown:
        raise ValueError(f"check {check_id!r} names unknown scenarios {unknown}")
    declared = Check(check_id, family, description, basis, operation, scenarios, recorded, judge, location)
    _REGISTRY[check_id] = declared
    return declared


def check(
    check_id: str,
    family: Family,
    *,
    basis: Basis = Basis.CHOICE,
    operation: Kind | None = None,
    scenarios: tuple[str, ...] = (),
    recorded: bool = True,
    trace_judge: bool = False,
    location: str | None = None,
) -> Callable[[_Judge], _Judge]:
    """Declare the decorated function as the implementation of a check; its docstring's first
    paragraph is the check's description. With ``trace_judge=True`` the function is a
    ``TaskTrace -> Verdict`` judge that :func:`trace_checks` returns for matching scenarios."""

    def register(function: _Judge) -> _Judge:
        _IMPLEMENTATIONS[function] = declare(
            check_id,
            family,
            _first_paragraph(function.__doc__),
            basis=basis,
            operation=operation,
            scenarios=scenarios,
            recorded=recorded,
            judge=function if trace_judge else None,
            location=location,
        )
        return function

    return register


def implemented_by(function: Callable[..., Any]) -> Check:
    """The check a function decorated with :func:`check` implements.

    Raises:
        KeyError: If the function implements no check.
    """
    return _IMPLEMENTATIONS[function]


def all_checks() -> tuple[Check, ...]:
    """Every check, family by family in run order (imports every family module)."""
    for module in _FAMILY_MODULES:
        importlib.import_module(module)
    order = list(Family)
    return tuple(sorted(_REGISTRY.values(), key=lambda item: order.index(item.family)))


def lookup(check_id: str) -> Check | None:
    """The check a result id belongs to (``lifecycle.failure.X`` → ``lifecycle.failure.<TYPE>``)."""
    all_checks()
    if check_id in _REGISTRY:
        return _REGISTRY[check_id]
    for declared in _REGISTRY.values():
        prefix, marker, _rest = declared.id.partition("<TYPE>")
        if marker and check_id.startswith(prefix):
            return declared
    return None


def describe(check_id: str) -> str | None:
    """What a check id asserts, or ``None`` for an id nobody declared."""
    found = lookup(check_id)
    return found.description if found else None


def trace_checks(scenario: str) -> tuple[Check, ...]:
    """The trace judges that apply to a task run for ``scenario``, in declaration order."""
    return tuple(
        declared for declared in all_checks() if declared.judge is not None and declared.applies_to(scenario)
    )


def checks_needing(scenario: str) -> tuple[Check, ...]:
    """The trace judges a scenario exists for (not those that apply to every scenario)."""
    return tuple(declared for declared in trace_checks(scenario) if declared.scenarios)


#: One ``<family>.internal_error`` per family: the suite could not judge a section (a bug of its own,
#: or a response it cannot handle); the report is still written and the run exits 2.
INTERNAL_ERRORS: dict[Family, Check] = {
    family: declare(
        f"{family.value}.internal_error",
        family,
        f"The {family.value} checks ran to the end without an internal error of the suite "
        "(an error is reported as such, the report is still written, and the run exits 2).",
        basis=Basis.DOCUMENTED,
    )
    for family in Family
}


def settle(result: CheckResult) -> CheckResult:
    """Give a result its basis and location (the check's, unless the finding named its own rule) and
    tier it (contract §8): a failure against a ``choice`` becomes a warning. Idempotent.

    Raises:
        KeyError: If the result's check id was never declared.
    """
    declared = lookup(result.check_id)
    if declared is None:
        raise KeyError(f"result of an undeclared check {result.check_id!r}")
    basis = result.basis or declared.basis.value
    location = result.location or declared.location
    outcome = result.outcome
    message = result.message
    if outcome is Outcome.FAILED and tier_for(basis) is Outcome.WARNING:
        outcome = Outcome.WARNING
        message = f"{message} (differs from a fluxq choice: a warning; --strict fails it)"
    return dataclasses.replace(result, outcome=outcome, message=message, basis=basis, location=location)


def catalog_text() -> str:
    """The catalog as plain text (``fluxq conformance --list-checks``)."""
    checks = all_checks()
    width = max(len(declared.id) for declared in checks)
    return "\n".join(
        f"{declared.id:<{width}}  [{declared.basis.value}] {declared.description}" for declared in checks
    )
