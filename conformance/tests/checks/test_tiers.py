"""Tiers follow from the basis of the rule (contract §8), and bases of submit constraints from the spec."""

from __future__ import annotations

from typing import Any

import pytest

from fluxq_conformance.checks.registry import all_checks, settle
from fluxq_conformance.checks.tolerance import acceptance_basis, broken_constraints, inexpressible_reason
from fluxq_conformance.core.provenance import basis_of
from fluxq_conformance.core.results import CheckResult, Outcome, RunReport, tier_for


def test_tier_for_each_basis() -> None:
    assert tier_for("documented") is Outcome.FAILED
    assert tier_for("evidence") is Outcome.FAILED
    assert tier_for("choice") is Outcome.WARNING
    with pytest.raises(ValueError, match="unknown basis"):
        tier_for("vibes")


def test_every_check_declares_a_basis() -> None:
    assert all(declared.basis.value in ("documented", "evidence", "choice") for declared in all_checks())


def test_settle_turns_a_choice_failure_into_a_warning_and_keeps_documented_failures() -> None:
    choice = settle(CheckResult("lifecycle.identity", Outcome.FAILED, "ids differ"))
    assert choice.outcome is Outcome.WARNING
    assert choice.basis == "choice"
    assert "--strict" in choice.message
    documented = settle(CheckResult("lifecycle.identity", Outcome.FAILED, "x", basis="documented"))
    assert documented.outcome is Outcome.FAILED
    assert settle(choice) == choice  # idempotent
    assert settle(CheckResult("lifecycle.cancel_terminal", Outcome.FAILED, "x")).outcome is Outcome.FAILED


def test_exit_codes_strict_and_internal_errors() -> None:
    warned = RunReport("t", {}, [settle(CheckResult("lifecycle.identity", Outcome.FAILED, "x"))])
    assert warned.exit_code() == 0
    assert warned.exit_code(strict=True) == 1
    errored = RunReport("t", {}, [CheckResult("lifecycle.internal_error", Outcome.ERROR, "boom")])
    assert errored.exit_code() == 2
    assert warned.to_dict()["checks"][0]["basis"] == "choice"


DOCUMENTED = {"basis": "documented", "page": "p", "quote": "q"}
DECIDED_MIN_LENGTH = {"basis": "choice", "about": ["minLength"]}  # page-less: fluxq decides
DISCREPANCY_MINIMUM = {"basis": "choice", "page": "o", "quote": "r", "about": ["minimum"]}
EVIDENCE_REQUIRED = {"basis": "evidence", "page": "p", "quote": "q", "about": ["required"]}


@pytest.mark.parametrize(
    ("node", "keyword", "expected"),
    [
        ({"x-fluxq-source": [DOCUMENTED, DECIDED_MIN_LENGTH]}, "minLength", "choice"),
        ({"x-fluxq-source": [DOCUMENTED, DISCREPANCY_MINIMUM]}, "minimum", "documented"),
        ({"x-fluxq-source": EVIDENCE_REQUIRED}, "required", "evidence"),
        ({"x-fluxq-source": EVIDENCE_REQUIRED}, "type", "choice"),
        ({}, "maximum", "choice"),
    ],
)
def test_basis_of_a_keyword(node: dict[str, Any], keyword: str, expected: str) -> None:
    assert basis_of(node, keyword) == expected


@pytest.mark.parametrize(
    ("operation_id", "body", "basis"),
    [
        ("submit_flux_pro_11", {"prompt": "a", "width": 2048}, "documented"),  # Range: 256 - 1440
        ("submit_flux_pro_11", {"prompt": "a", "width": 500}, "documented"),  # multiple of 32
        ("submit_flux_kontext_pro", {"prompt": "a", "safety_tolerance": -1}, "documented"),
        ("submit_flux_kontext_pro", {"prompt": "a", "output_format": "webp"}, "documented"),
        ("submit_flux_kontext_pro", {"seed": 1}, "documented"),  # prompt required
        ("submit_flux_kontext_pro", {"prompt": ""}, "choice"),  # minLength is fluxq's choice
        ("submit_flux_pro_11", {"prompt": "a", "seed": None}, "choice"),  # explicit null
        ("submit_flux_kontext_pro", {"prompt": "a", "aspect_ratio": "wide"}, "choice"),  # the pattern
        ("submit_flux_2_pro", {"prompt": "a", "typo": 1}, "choice"),  # unknown field
        ("submit_flux_pro_11", {"prompt": "", "width": 2048}, "documented"),  # the strongest wins
    ],
)
def test_accepting_an_invalid_body_is_tiered_by_the_broken_constraint(
    operation_id: str, body: dict[str, Any], basis: str
) -> None:
    assert broken_constraints(operation_id, body)
    assert acceptance_basis(operation_id, body)[0] == basis


def test_a_valid_body_breaks_nothing() -> None:
    assert broken_constraints("submit_flux_pro_11", {"prompt": "a", "width": 1440, "seed": -5}) == []


def test_refusing_an_aspect_ratio_outside_the_documented_range_is_allowed() -> None:
    assert inexpressible_reason("submit_flux_kontext_pro", {"prompt": "a", "aspect_ratio": "100:1"})
    assert inexpressible_reason("submit_flux_kontext_pro", {"prompt": "a", "aspect_ratio": "16:9"}) is None
