"""The wrapper sends exactly what the generated client would: same method, path and auth header.

The wrapper sends through the generated ``AuthenticatedClient``'s httpx client but builds its own
requests (to call the URLs submit returned and to stream large bodies); this keeps it in step with
``fluxq_api`` — and so with the spec — for every operation of every model.
"""

from __future__ import annotations

import importlib
import json

import httpx
import pytest

import fluxq
from fluxq_api import AuthenticatedClient

from .scripted import RID, ScriptedServer, done, submitted

MODELS = ["flux_kontext_pro", "flux_pro_11", "flux_2_pro"]
BASE = "http://testserver/model"


def generated_request(model: str, operation: str) -> httpx.Request:
    """The request the generated ``*_detailed`` call of an operation makes."""
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(418)

    module = importlib.import_module(f"fluxq_api.api.{model}.{operation}_{model}")
    client = AuthenticatedClient(
        base_url=BASE, token="k", httpx_args={"transport": httpx.MockTransport(record)}
    )
    if operation == "submit":
        body_class = getattr(importlib.import_module("fluxq_api.models"), type_name(model))
        module.sync_detailed(client=client, body=body_class(prompt="apple"))
    else:
        module.sync_detailed(client=client, request_id=RID)
    return seen[0]


def type_name(model: str) -> str:
    return {
        "flux_kontext_pro": "FluxKontextProInput",
        "flux_pro_11": "FluxPro11Input",
        "flux_2_pro": "Flux2ProInput",
    }[model]


@pytest.mark.parametrize("model", MODELS)
def test_every_operation_matches_the_generated_client(model: str) -> None:
    server = ScriptedServer().on("submit", submitted(model=model)).on("result", done())
    server.on("status", httpx.Response(200, json={"status": "IN_QUEUE", "request_id": RID}))
    server.on("cancel", httpx.Response(202, json={"status": "CANCELLATION_REQUESTED"}))
    with fluxq.Client("k", base_url=BASE, transport=server.transport) as client:
        job = client.submit(model, prompt="apple")
        rebuilt = client.job(model, RID)
        job.status()
        rebuilt.wait()
        rebuilt.cancel()

    for operation in ("submit", "status", "result", "cancel"):
        ours = server.sent(operation)[0]
        theirs = generated_request(model, operation)
        assert (ours.method, ours.url) == (theirs.method, theirs.url), operation
        assert ours.headers["authorization"] == theirs.headers["authorization"]
        if operation == "submit":
            sent, generated = json.loads(ours.content), json.loads(theirs.content)
            assert sent == {"prompt": "apple"}
            assert generated["prompt"] == "apple"  # the generated body adds the spec's defaults
            assert ours.headers["content-type"] == theirs.headers["content-type"]
