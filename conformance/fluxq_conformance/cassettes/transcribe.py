"""The ``documented`` cassette set: what the providers' pages show, transcribed as vcrpy cassettes.

Only documented exchanges are transcribed, verbatim: each model page's curl request and its reply
example (``spec/sources``: OdiRouter's three pages, SeaCloud's kontext page), and the reply bodies
the contract quotes from the providers' protocol pages (cancel replies, the error shapes). Where the
docs show no example for a step — a status reply, the 202 and 200 results, a failure, the state
after a cancel — the set says so in ``NOT-DOCUMENTED.md`` instead of inventing one. ``scripts/record``
rewrites the set; a test checks it is current.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from fluxq_conformance.checks.auth import UNKNOWN_ID
from fluxq_conformance.core.exchange import KEY_PLACEHOLDER
from fluxq_conformance.core.spec import Kind, operation_for

#: The page snapshots (a repository directory: this module runs from scripts/record and tests).
SOURCES = Path(__file__).resolve().parents[3] / "spec" / "sources"
#: page file → (model, base URL the page uses)
PAGES = {
    "000_03dd6dfe1453bfd0.txt": ("flux_kontext_pro", "https://odirouter.ai/model"),
    "001_54a6746bf47acc53.txt": ("flux_pro_11", "https://odirouter.ai/model"),
    "002_02b6eb1e90c8a5d9.txt": ("flux_2_pro", "https://odirouter.ai/model"),
    "004_a8639ec7ecb0d597.txt": ("flux_kontext_pro", "https://cloud.seaart.ai/model"),
}
AUTH = {"Authorization": [f"Bearer {KEY_PLACEHOLDER}"]}

#: The reply bodies the contract quotes from the providers' protocol pages (contract §2, §3).
CANCEL_ACCEPTED = {"status": "CANCELLATION_REQUESTED"}
CANCEL_NOT_FOUND = {"status": "NOT_FOUND"}
REQUEST_NOT_FOUND = {"detail": "Request not found"}
WEBHOOK_REFUSED = {"detail": "webhook not supported"}

NOT_DOCUMENTED = """# What the documented set leaves out, and why

The cassettes here hold only what the providers document: each model page's curl request and its
reply example (spec/sources 000, 001, 002 and 004), and the reply bodies quoted from the providers'
protocol pages (cancel 202 `CANCELLATION_REQUESTED`, 404 `NOT_FOUND`, `{"detail": "Request not
found"}`, `{"detail": "webhook not supported"}`). The pages show no example for:

- a status reply in any state (IN_QUEUE, IN_PROGRESS, COMPLETED), so no task here is polled;
- the result while not terminal (the 202) and the success result body (`outputs`, `metadata`);
- a failed task, and the state or result after a cancel;
- a cancel of a finished task (400 `ALREADY_COMPLETED` is quoted, but not for a given task);
- the HTTP status of the webhook refusal (400 is used here: one of the two codes the contract allows
  for invalid parameters) and of missing credentials (not transcribed: the 401 is a fluxq choice).

Replaying this set therefore judges identity, the submit reply, the documented cancel and error
replies, and unknown ids; the lifecycle rules that need status replies are reported as skipped.
The `reference` set (recorded from fluxq serve) covers every step.
"""


def _balanced(text: str, start: int) -> str:
    """The ``{...}`` starting at ``text[start]``, braces balanced (the examples hold no braces in strings)."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return text[start : index + 1]
    raise ValueError("unbalanced example")


def page_examples(page: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The curl request body and the reply example of a model page, parsed from its text.

    Raises:
        ValueError: If the page holds no such example.
    """
    text = (SOURCES / page).read_text(encoding="utf-8")
    data = re.search(r"--data '(\{.*?\})'", text, flags=re.S)
    if data is None:
        raise ValueError(f"{page}: no curl --data example")
    reply_at = text.find('"request_id"')
    brace = text.rfind("{", 0, reply_at)
    if reply_at < 0 or brace < 0:
        raise ValueError(f"{page}: no reply example")
    request: dict[str, Any] = json.loads(data.group(1))
    reply: dict[str, Any] = json.loads(_balanced(text, brace))
    return request, reply


def _interaction(method: str, url: str, status: int, body: Any, *, request: Any = None) -> Any:
    headers = {**AUTH, "Content-Type": ["application/json"]} if request is not None else dict(AUTH)
    return {
        "request": {
            "method": method,
            "uri": url,
            "body": json.dumps(request) if request is not None else None,
            "headers": headers,
        },
        "response": {
            "status": {"code": status, "message": ""},
            "headers": {"content-type": ["application/json"]},
            "body": {"string": json.dumps(body)},
        },
    }


def submit_story(page: str) -> list[Any]:
    """A page's submit: its curl request and its reply example, verbatim."""
    model, base_url = PAGES[page]
    request, reply = page_examples(page)
    return [
        _interaction("POST", operation_for(model, Kind.SUBMIT).url(base_url), 200, reply, request=request)
    ]


def cancel_story(page: str) -> list[Any]:
    """A page's submit, then the documented 202 ``CANCELLATION_REQUESTED`` (nothing is documented after)."""
    story = submit_story(page)
    reply = json.loads(story[0]["response"]["body"]["string"])
    return [*story, _interaction("PUT", reply["cancel_url"], 202, CANCEL_ACCEPTED)]


def error_story(page: str) -> list[Any]:
    """Unknown ids (status and cancel: the quoted 404 bodies) and a webhook refused at submit."""
    model, base_url = PAGES[page]
    request, _reply = page_examples(page)
    status, cancel = operation_for(model, Kind.STATUS), operation_for(model, Kind.CANCEL)
    webhook = {**request, "webhook_url": "https://example.com/hook"}
    return [
        _interaction("GET", status.url(base_url, UNKNOWN_ID), 404, REQUEST_NOT_FOUND),
        _interaction("PUT", cancel.url(base_url, UNKNOWN_ID), 404, CANCEL_NOT_FOUND),
        _interaction(
            "POST", operation_for(model, Kind.SUBMIT).url(base_url), 400, WEBHOOK_REFUSED, request=webhook
        ),
    ]


def documented_cassettes() -> dict[str, dict[str, Any]]:
    """Every story, by file name."""
    stories: dict[str, list[Any]] = {}
    for page, (model, base_url) in PAGES.items():
        provider = "seacloud" if "seaart" in base_url else "odirouter"
        stories[f"{model}-{provider}-submit.yaml"] = submit_story(page)
    stories["flux_kontext_pro-odirouter-cancel.yaml"] = cancel_story("000_03dd6dfe1453bfd0.txt")
    stories["flux_kontext_pro-odirouter-errors.yaml"] = error_story("000_03dd6dfe1453bfd0.txt")
    return {name: {"interactions": items, "version": 1} for name, items in stories.items()}


def write_documented(directory: Path) -> list[Path]:
    """Write the documented set under ``directory`` (replacing its ``*.yaml``) and its ``NOT-DOCUMENTED.md``.

    Raises:
        OSError: If the directory cannot be written.
    """
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.yaml"):
        old.unlink()
    written = []
    for name, cassette in documented_cassettes().items():
        path = directory / name
        path.write_text(yaml.safe_dump(cassette, sort_keys=False, allow_unicode=True), encoding="utf-8")
        written.append(path)
    notes = directory / "NOT-DOCUMENTED.md"
    notes.write_text(NOT_DOCUMENTED, encoding="utf-8")
    written.append(notes)
    return written
