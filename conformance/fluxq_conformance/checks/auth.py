"""Auth checks: missing or wrong credentials answer 401; each supported scheme works.

They probe the status endpoint with an id nobody created, so they never create (billed) tasks:
with valid credentials that answers 404, without them 401.
"""

from __future__ import annotations

from fluxq_conformance.checks.registry import Basis, Check, Family, declare
from fluxq_conformance.core.exchange import Exchange, reproduce
from fluxq_conformance.core.results import CheckResult, Outcome
from fluxq_conformance.core.session import AuthScheme, Credentials, ProviderSession
from fluxq_conformance.core.spec import Kind, models, operation_for
from fluxq_conformance.core.trace import is_error_body

UNKNOWN_ID = "mmsu_fluxq_conformance_unknown"
REFUSED = (401, 403)


MISSING = declare(
    "auth.missing",
    Family.AUTH,
    "A request without credentials is refused (documented) with 401 and a JSON error body (choice).",
    basis=Basis.DOCUMENTED,
    operation=Kind.STATUS,
)
WRONG = declare(
    "auth.wrong",
    Family.AUTH,
    "A request with a wrong key answers 401 (or 403) with a documented error body.",
    basis=Basis.EVIDENCE,
    operation=Kind.STATUS,
)
SCHEMES: dict[AuthScheme, Check] = {
    AuthScheme.BEARER: declare(
        "auth.scheme.bearer",
        Family.AUTH,
        "`Authorization: Bearer <key>` is accepted (skipped when the provider offers only the other "
        "scheme; failed when it is the scheme in use).",
        basis=Basis.DOCUMENTED,
        operation=Kind.STATUS,
    ),
    AuthScheme.KEY: declare(
        "auth.scheme.key",
        Family.AUTH,
        "`Authorization: Key <key>` is accepted (same rule).",
        basis=Basis.DOCUMENTED,
        operation=Kind.STATUS,
    ),
}


def _probe(
    session: ProviderSession, model: str, credentials: Credentials, scheme: AuthScheme | None
) -> Exchange:
    operation = operation_for(model, Kind.STATUS)
    return session.send(
        "GET", operation.url(session.base_url, UNKNOWN_ID), credentials=credentials, scheme=scheme
    )


def detect_scheme(session: ProviderSession) -> AuthScheme | None:
    """Return the first scheme (bearer, then key) the provider accepts the key with, or ``None``."""
    model = models()[0]
    for scheme in AuthScheme:
        exchange = _probe(session, model, Credentials.VALID, scheme)
        if exchange.status_code is not None and exchange.status_code not in REFUSED:
            return scheme
    return None


def judge_refusal(exchange: Exchange, *, missing: bool) -> tuple[Outcome, str, str]:
    """Bad credentials must be refused: missing ones with 401 (a fluxq choice), wrong ones with 401
    or 403 (evidence: the platform's errors page documents 403 for a bad key), each with a JSON
    error body. Accepting them at all breaks the documented ``Authorization`` requirement.

    Returns:
        The outcome, the message and the basis of the rule the outcome is about.
    """
    code = exchange.status_code
    if code is None:
        return Outcome.FAILED, f"no response: {exchange.error}", Basis.DOCUMENTED.value
    if code not in REFUSED:
        return Outcome.FAILED, f"answered {code}: not refused (401/403)", Basis.DOCUMENTED.value
    body_basis = Basis.CHOICE.value if missing else Basis.EVIDENCE.value
    if missing and code != 401:
        return Outcome.FAILED, f"missing credentials answered {code}, not 401", Basis.CHOICE.value
    if not is_error_body(exchange.json()):
        return Outcome.FAILED, f"{code} without a documented JSON error body", body_basis
    return Outcome.PASSED, f"{code} with an error body", body_basis


def judge_scheme(exchange: Exchange, scheme: AuthScheme, in_use: AuthScheme) -> tuple[Outcome, str]:
    """A valid key under ``scheme`` must not be refused (only the scheme in use is mandatory)."""
    if exchange.status_code is None:
        return Outcome.FAILED, f"no response: {exchange.error}"
    if exchange.status_code in REFUSED:
        if scheme is in_use:
            return (
                Outcome.FAILED,
                f"valid key refused with {exchange.status_code} under the {scheme.value} scheme",
            )
        return (
            Outcome.SKIPPED,
            f"the provider does not offer the {scheme.value} scheme (either scheme conforms)",
        )
    return Outcome.PASSED, f"accepted (answered {exchange.status_code} for an unknown id)"


def run_auth_checks(session: ProviderSession) -> list[CheckResult]:
    """Run ``auth.missing``, ``auth.wrong`` and ``auth.scheme.<bearer|key>`` against every model."""
    results: list[CheckResult] = []
    redact = session.redactor
    for model in models():
        operation_id = operation_for(model, Kind.STATUS).operation_id
        for check_id, credentials in (
            (MISSING.id, Credentials.MISSING),
            (WRONG.id, Credentials.WRONG),
        ):
            exchange = _probe(session, model, credentials, None)
            outcome, message, basis = judge_refusal(exchange, missing=credentials is Credentials.MISSING)
            results.append(
                CheckResult(
                    check_id, outcome, message, model, operation_id, reproduce(exchange, redact), basis
                )
            )
        for scheme in AuthScheme:
            exchange = _probe(session, model, Credentials.VALID, scheme)
            outcome, message = judge_scheme(exchange, scheme, session.scheme)
            results.append(
                CheckResult(
                    SCHEMES[scheme].id,
                    outcome,
                    message,
                    model,
                    operation_id,
                    reproduce(exchange, redact),
                )
            )
    return results
