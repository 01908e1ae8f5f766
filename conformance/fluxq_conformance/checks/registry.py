"""Every check id, what it asserts, and how the conformance package is laid out.

Layout (imports flow downwards only; ``provider/`` is the reference provider and imports none of these):

- ``cli`` → ``runner`` → the check families → ``session``/``exchange``/``trace``/``spec``/``report``
- families: ``auth_checks``; ``lifecycle_driver`` (drives tasks) + ``lifecycle_judges`` (pure);
  ``outputs``; ``schema_checks`` (schemathesis engine) + ``tolerance`` (contract §6 leniencies);
  ``client_checks`` (``client_requests``, ``client_responses``, ``json_strategies``);
  ``documented`` (is this response documented?)
- recordings: ``cassettes`` (vcrpy, scrubbing, network guard), ``replay`` (offline judging),
  ``transcribe`` (the documented set); reports: ``render_console``, ``render_files``;
  self-test: ``mutants`` (broken and faithful variants of the reference provider), ``targets``
  (served on loopback by ``provider.server.serve_in_thread``).

Outcomes: ``passed``; ``failed`` (a deviation from the spec or the contract); ``warning`` (what the
contract tolerates, e.g. unknown submit fields ignored rather than refused); ``skipped`` (cannot be
judged here, e.g. forced failures on a live target, a scheme the provider does not offer).
"""

from __future__ import annotations

CHECKS: dict[str, str] = {
    # schema (schemathesis 4: examples, coverage, fuzzing, stateful phases over the spec's links)
    "schema.not_a_server_error": "No request the spec allows (or fuzzes) gets a 5xx.",
    "schema.status_code_conformance": "Every response status is documented for its operation.",
    "schema.content_type_conformance": "Every response media type is documented (application/json).",
    "schema.response_headers_conformance": "Documented response headers are present and valid.",
    "schema.response_schema_conformance": "Every response body validates against its documented schema.",
    "schema.negative_data_rejection": "Requests the spec forbids are refused with 4xx "
    "(unknown submit fields ignored → warning).",
    "schema.positive_data_acceptance": "Requests the spec allows are accepted (state refusals such as "
    "cancel-after-done are conforming; refusing image data the spec cannot describe → warning).",
    "schema.ignored_auth": "Operations that require auth refuse requests without or with wrong credentials.",
    "schema.missing_required_header": "Requests missing a required header are refused with 4xx.",
    "schema.unsupported_method": "Undocumented methods on documented paths answer 405.",
    # lifecycle (fluxq's own; judged on live runs and on recordings alike)
    "lifecycle.identity": "Submit's three URLs are absolute and name the submitted id; every 2xx body "
    "names that id (request_id and response_url).",
    "lifecycle.monotonic": "Statuses are IN_QUEUE/IN_PROGRESS/COMPLETED and never go backwards; once "
    "COMPLETED, the outcome (success or error_type) never changes.",
    "lifecycle.result_202_until_done": "The result answers 202 with a status-shaped, non-terminal body "
    "until COMPLETED, never 200 early, then 200 with outputs.",
    "lifecycle.failure.<TYPE>": "A forced failure (reference provider prompt marker) ends COMPLETED with "
    "an error string and error_type TYPE; its result is a 4xx/5xx documented error body, never 200.",
    "lifecycle.cancel": "Cancel answers 202 CANCELLATION_REQUESTED, then the task is COMPLETED + CANCELED "
    "with an error result — or it finished first (allowed) and its result is 200.",
    "lifecycle.cancel_terminal": "Cancelling a terminal task answers 400 ALREADY_COMPLETED.",
    "lifecycle.unknown_id": "Status, result and cancel of an unknown id answer 404 with a documented body.",
    "lifecycle.deadline": "Each task reaches COMPLETED within the deadline (not judged on recordings).",
    "lifecycle.queue_position": "Every queue_position is an integer ≥ 0; submit always carries one.",
    "lifecycle.documented_response": "Every response the lifecycle saw has a documented status, JSON "
    "media type and a body valid for that status (schemathesis validate_response).",
    # outputs
    "outputs.image": "Each output URL serves, without the key, an image whose format matches content_type.",
    "outputs.size": "The image's pixel size matches the item's width/height and, for models with "
    "width/height parameters, the size that was asked for.",
    # auth
    "auth.missing": "A request without credentials answers 401 with a documented error body.",
    "auth.wrong": "A request with a wrong key answers 401 with a documented error body.",
    "auth.scheme.bearer": "`Authorization: Bearer <key>` is accepted (skipped when the provider offers "
    "only the other scheme; failed when it is the scheme in use).",
    "auth.scheme.key": "`Authorization: Key <key>` is accepted (same rule).",
    # client (offline: hypothesis, httpx.MockTransport)
    "client.request_valid": "Parameters valid under fluxq_models become, through fluxq.Client and "
    "fluxq_api, one request openapi-core validates against the spec, values unchanged.",
    "client.invalid_refused": "Parameters the spec forbids raise fluxq.ValidationError and nothing is "
    "sent (normalised into a valid request instead → warning). An explicit None in a parameter mapping "
    "means 'omit the field' (documented wrapper behaviour): sent without it, valid, that passes.",
    "client.parses_responses": "Every response shape the spec allows (examples and generated bodies) "
    "parses through fluxq_api into the documented model and round-trips.",
}


def describe(check_id: str) -> str | None:
    """What a check id asserts (``lifecycle.failure.X`` maps to ``lifecycle.failure.<TYPE>``)."""
    if check_id in CHECKS:
        return CHECKS[check_id]
    if check_id.startswith("lifecycle.failure."):
        return CHECKS["lifecycle.failure.<TYPE>"]
    return None


def catalog_text() -> str:
    """The catalog as plain text (``fluxq conformance --list-checks``)."""
    width = max(len(check_id) for check_id in CHECKS)
    return "\n".join(f"{check_id:<{width}}  {text}" for check_id, text in CHECKS.items())
