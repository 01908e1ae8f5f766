"""Client checks (hypothesis) — placeholder until the wrapper lands."""

from __future__ import annotations

from fluxq_conformance.report import CheckResult


def run_client_checks(max_examples: int, seed: int) -> list[CheckResult]:
    """Run the client checks."""
    return []
