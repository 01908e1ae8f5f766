"""``client.request_valid`` and ``client.invalid_refused``: what the wrapper sends, judged by openapi-core.

Parameter objects come from schemathesis' request-body strategies (positive and negative), so
they cover the spec's own constraints. A valid object (under ``fluxq_models``) must become, through
``fluxq.Client`` and ``fluxq_api``, one request that openapi-core validates against the spec, with
the same values. An object the spec forbids must raise ``fluxq.ValidationError`` with no request sent.
Requests are captured with an ``httpx.MockTransport``; nothing leaves the process.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
from hypothesis import HealthCheck, given, seed, settings
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

from fluxq_conformance.checks.tolerance import image_fields, only_unknown_fields
from fluxq_conformance.core.spec import Kind, load_spec, operation_for
from fluxq_spec import spec_path

SERVER = "https://cloud.seaart.ai/model"
KEY = "fluxq-client-check-key"


class HttpxOpenAPIRequest:
    """An httpx request seen through openapi-core's ``Request`` protocol."""

    def __init__(self, request: httpx.Request) -> None:
        self._request = request
        self._url = urlsplit(str(request.url))
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(list(request.url.params.multi_items())),
            header=Headers(dict(request.headers)),
            cookie=ImmutableMultiDict(),
        )

    @property
    def host_url(self) -> str:
        """Scheme and host."""
        return f"{self._url.scheme}://{self._url.netloc}"

    @property
    def path(self) -> str:
        """The request path."""
        return self._url.path

    @property
    def method(self) -> str:
        """Lower-case method."""
        return self._request.method.lower()

    @property
    def body(self) -> bytes | None:
        """The body bytes."""
        return self._request.content or None

    @property
    def content_type(self) -> str:
        """The Content-Type header."""
        return str(self._request.headers.get("content-type", ""))


@functools.cache
def _openapi() -> OpenAPI:
    return OpenAPI.from_dict(load_spec())


def request_problem(request: httpx.Request) -> str | None:
    """Why openapi-core refuses a request, or ``None`` when it validates."""
    try:
        _openapi().validate_request(HttpxOpenAPIRequest(request))
    except Exception as error:  # openapi-core raises a family of validation errors
        causes = [str(error)] + [str(cause) for cause in getattr(error, "schema_errors", [])[:2]]
        return "; ".join(causes)
    return None


def _submission(request_id: str, model: str) -> dict[str, Any]:
    base = f"{SERVER}/v1/queue/{model}/requests/{request_id}"
    return {
        "request_id": request_id,
        "response_url": f"{base}/response",
        "status_url": f"{base}/status",
        "cancel_url": f"{base}/cancel",
        "queue_position": 0,
    }


@dataclass
class Observation:
    """What one parameter object led to."""

    body: dict[str, Any]
    sent: list[httpx.Request] = field(default_factory=list)
    refused: str | None = None
    crashed: str | None = None


def submit_through_wrapper(model: str, body: dict[str, Any]) -> Observation:
    """Submit ``body`` through ``fluxq.Client`` on a MockTransport and record what happened."""
    import fluxq

    observation = Observation(body)

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        observation.sent.append(request)
        return httpx.Response(200, json=_submission("mmsu_client_check", model))

    with fluxq.Client(
        api_key=KEY, base_url=SERVER, transport=httpx.MockTransport(handler), max_retries=0
    ) as client:
        try:
            client.submit(fluxq.model_id(model), dict(body))
        except fluxq.ValidationError as error:
            observation.refused = str(error)
        except Exception as error:  # any other exception is a finding, reported with its type
            observation.crashed = f"{type(error).__name__}: {error}"
    return observation


def _st_operation(model: str) -> Any:
    import schemathesis

    submit = operation_for(model, Kind.SUBMIT)
    return schemathesis.openapi.from_path(str(spec_path()))[submit.path][submit.method]


def generate_bodies(model: str, *, negative: bool, max_examples: int, run_seed: int) -> list[Any]:
    """Draw submit bodies from schemathesis' strategies (deterministic for a seed)."""
    from schemathesis import GenerationMode

    mode = GenerationMode.NEGATIVE if negative else GenerationMode.POSITIVE
    drawn: list[Any] = []

    @seed(run_seed)
    @settings(
        max_examples=max_examples, database=None, deadline=None, suppress_health_check=list(HealthCheck)
    )
    @given(_st_operation(model).as_strategy(generation_mode=mode))
    def collect(case: Any) -> None:
        drawn.append(case.body)

    collect()
    return drawn


def targeted_invalid_bodies(model: str) -> list[dict[str, Any]]:
    """One invalid body per constraint the spec states: bounds, multiples, enums, types, nulls,
    unknown fields, a missing or empty prompt (each a small change to the documented example)."""
    from fluxq_conformance.core.spec import documented_body

    spec = load_spec()
    submit = operation_for(model, Kind.SUBMIT)
    body_ref = spec["paths"][submit.path]["post"]["requestBody"]["$ref"].rsplit("/", 1)[-1]
    media = spec["components"]["requestBodies"][body_ref]["content"]["application/json"]
    schema = spec["components"]["schemas"][media["schema"]["$ref"].rsplit("/", 1)[-1]]
    base = documented_body(model)
    bodies: list[dict[str, Any]] = [
        {**base, "unknown_field": 1},
        {k: v for k, v in base.items() if k != "prompt"},
    ]
    for name, prop in schema["properties"].items():
        prop = spec["components"]["schemas"][prop["$ref"].rsplit("/", 1)[-1]] if "$ref" in prop else prop
        kinds = prop.get("type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if "null" not in kinds:
            bodies.append({**base, name: None})
        if "minimum" in prop:
            bodies.append({**base, name: prop["minimum"] - 1})
        if "maximum" in prop:
            bodies.append({**base, name: prop["maximum"] + 1})
        if "multipleOf" in prop:
            bodies.append({**base, name: prop.get("minimum", 0) + prop["multipleOf"] + 1})
        if "enum" in prop:
            bodies.append({**base, name: "__not_in_enum__"})
        if "minLength" in prop:
            bodies.append({**base, name: ""})
        if "pattern" in prop:
            bodies.append({**base, name: "not a ratio"})
        wrong = {"integer": "1", "boolean": "yes", "string": 1}
        bodies += [{**base, name: wrong[kind]} for kind in kinds if kind in wrong]
    return bodies


def judge_valid(model: str, observation: Observation) -> tuple[str, str] | None:
    """Judge a valid body's observation: ``None`` when fine, else (outcome, message)."""
    submit_id = operation_for(model, Kind.SUBMIT).operation_id
    if observation.crashed:
        return "failed", f"valid parameters crashed the client: {observation.crashed}"
    if observation.refused is not None:
        images = [name for name in image_fields(submit_id) if name in observation.body]
        if images and any(name in observation.refused for name in images):
            return "warning", f"the client refused image data the spec cannot describe: {observation.refused}"
        return "failed", f"valid parameters were refused locally: {observation.refused}"
    if len(observation.sent) != 1:
        return "failed", f"{len(observation.sent)} requests sent for one submit"
    request = observation.sent[0]
    problem = request_problem(request)
    if problem:
        return "failed", f"the request does not validate against the spec: {problem}"
    altered = _altered_fields(model, observation.body, json.loads(request.content))
    if altered:
        return "failed", f"the client changed {sorted(altered)} on the way"
    return None


def _only_nulls_omitted(model: str, observation: Observation) -> bool:
    """The wrapper documents ``None`` in a parameter mapping as "omit the field": a body that is
    invalid only through explicit nulls is sent, valid, without them — which is not a finding."""
    nulls = {name for name, value in observation.body.items() if value is None}
    if not nulls or len(observation.sent) != 1 or request_problem(observation.sent[0]) is not None:
        return False
    sent = json.loads(observation.sent[0].content)
    return not nulls & set(sent) and not _altered_fields(model, observation.body, sent)


def _altered_fields(model: str, body: dict[str, Any], sent: dict[str, Any]) -> set[str]:
    """The non-null, non-image fields of ``body`` that the sent JSON does not carry unchanged
    (image fields are re-encoded by the client, and ``None`` means "omit")."""
    image_names = image_fields(operation_for(model, Kind.SUBMIT).operation_id)
    return {k for k, v in body.items() if v is not None and k not in image_names and sent.get(k) != v}


def judge_invalid(model: str, observation: Observation) -> tuple[str, str] | None:
    """Judge an invalid body's observation: ``None`` when refused locally, else (outcome, message)."""
    if observation.crashed:
        return (
            "failed",
            f"invalid parameters crashed the client instead of ValidationError: {observation.crashed}",
        )
    if observation.refused is not None and not observation.sent:
        return None
    if observation.sent and _only_nulls_omitted(model, observation):
        return None
    if observation.sent and request_problem(observation.sent[0]) is None:
        shown = repr(observation.body)[:100]
        return "warning", f"invalid parameters were normalised and sent valid, not refused: {shown}"
    submit_id = operation_for(model, Kind.SUBMIT).operation_id
    if only_unknown_fields(submit_id, observation.body):
        return "failed", "unknown fields were sent instead of refused"
    return "failed", "invalid parameters were sent instead of refused"
