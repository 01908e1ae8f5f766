"""The API key: which keys are accepted, how a bad one is refused, how an echoed one is hidden."""

from __future__ import annotations

import json

import httpx
import pytest

import fluxq

from .conftest import MakeApi
from .scripted import RID, ScriptedServer

BASE = "http://127.0.0.1:9/model"


@pytest.mark.parametrize("key", ["sk with spaces", "~tilde~", "!#$%&'()*+,-./:;<=>?@[]^_`{|}", "  padded\n"])
def test_every_printable_ascii_key_is_accepted(key: str) -> None:
    fluxq.Client(api_key=key, base_url=BASE).close()


@pytest.mark.parametrize(
    ("key", "kind", "position", "length"),
    [
        ("ab\x7fcd", "a control character", 3, 5),
        ("ab\x1fcd", "a control character", 3, 5),
        ("abcd\x80", "a non-ASCII character", 5, 5),
        ("  x\x00", "a control character", 2, 2),  # counted after the whitespace is stripped
        ("é", "a non-ASCII character", 1, 1),
    ],
)
def test_a_key_a_header_cannot_carry_says_what_and_where(
    key: str, kind: str, position: int, length: int
) -> None:
    expected = f"api_key: the API key contains {kind} at position {position} of {length}; "
    with pytest.raises(fluxq.ValidationError) as caught:
        fluxq.Client(api_key=key, base_url=BASE)

    assert expected in str(caught.value)
    assert caught.value.field == "api_key"


def test_a_blank_key_is_no_key() -> None:
    with pytest.raises(fluxq.ValidationError, match="api_key: no API key") as caught:
        fluxq.Client(api_key=" \t\n", base_url=BASE)

    assert caught.value.field == "api_key"


def echo_the_key(request: httpx.Request) -> httpx.Response:
    """A proxy that reflects the Authorization header into its error body (JSON-escaped by json=)."""
    return httpx.Response(401, json={"detail": f"bad key {request.headers['authorization']}"})


@pytest.mark.parametrize("key", ["sk-plain-key-1234", 'sk-"quoted"-key', "sk-key-with-backslash\\", "abcd"])
async def test_an_echoed_key_is_hidden_in_every_form(make_api: MakeApi, key: str) -> None:
    server = ScriptedServer().on("status", echo_the_key)
    api = make_api(server.transport, api_key=key)

    with pytest.raises(fluxq.AuthenticationError) as caught:
        await api.job("flux_pro_11", RID).status()

    # Hidden whether it appears as is or JSON-escaped, without leftovers of either form.
    assert caught.value.message == "bad key Bearer [redacted]"
    shown = repr(caught.value) + json.dumps(caught.value.body)
    assert key not in shown
    assert json.dumps(key)[1:-1] not in shown


async def test_keys_shorter_than_four_characters_are_not_scrubbed(make_api: MakeApi) -> None:
    # Replacing "abc" everywhere would shred ordinary text; no real key is that short.
    server = ScriptedServer().on("status", echo_the_key)
    api = make_api(server.transport, api_key="abc")

    with pytest.raises(fluxq.AuthenticationError) as caught:
        await api.job("flux_pro_11", RID).status()

    assert caught.value.message == "bad key Bearer abc"
