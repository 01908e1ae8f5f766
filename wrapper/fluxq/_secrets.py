"""The API key: cleaned and checked once, then scrubbed from every text a server sends back.

A key read from a file often ends in a newline; one pasted from a web page may carry a non-breaking
space. Surrounding whitespace is stripped; anything a header cannot carry (controls, non-ASCII) is
refused with a `ValidationError` naming the setting — never echoing the key. A server may still echo
the key (a proxy reflecting the ``Authorization`` header into an error page): `Scrubber` replaces it in
every reply body and reason phrase before fluxq reads them, so no exception, log line or CLI message
built from server text can carry it.
"""

from __future__ import annotations

import json

from ._exceptions import ValidationError

REDACTED = "[redacted]"
_REDACTED_BYTES = REDACTED.encode()


def clean_api_key(raw: str, setting: str) -> str:
    """Return the key without surrounding whitespace.

    Args:
        raw: The key as given.
        setting: Where it came from (``api_key`` or ``FLUXQ_API_KEY``), for the message.

    Raises:
        ValidationError: Empty, or containing a character an HTTP header cannot carry (the key is not shown).
    """
    key = raw.strip()
    if not key:
        raise ValidationError([f"{setting}: no API key (pass api_key= or set FLUXQ_API_KEY)"], "api_key")
    for position, char in enumerate(key, start=1):
        if not (char.isascii() and char.isprintable()):
            # The ASCII characters a header cannot carry are the controls (0x00-0x1F and DEL).
            kind = "a control character" if char.isascii() else "a non-ASCII character"
            raise ValidationError(
                [
                    f"{setting}: the API key contains {kind} at position {position} of {len(key)}; "
                    "an HTTP header can carry printable ASCII only (check how the key was copied)"
                ],
                "api_key",
            )
    return key


def _forms(secrets: tuple[str, ...]) -> tuple[str, ...]:
    """Every form a secret may take in a reply (as given, and JSON-escaped), longest first."""
    forms: list[str] = []
    for secret in secrets:
        if len(secret) < 4:  # a 1-3 character "key" would shred ordinary text; nothing real is that short
            continue
        forms.append(secret)
        escaped = json.dumps(secret)[1:-1]  # as it appears inside a JSON string
        if escaped != secret:
            forms.append(escaped)
    return tuple(sorted(forms, key=len, reverse=True))


class Scrubber:
    """Replaces secrets in server-provided text (the one place that owns redaction).

    The forms to look for are worked out once: every reply passes through `text` and `data` several
    times. The scrubber shows no secret in its ``repr``.

    Args:
        secrets: The strings to hide (the API key; ones shorter than four characters are ignored).

    Attributes:
        ascii_only: Whether every secret is ASCII (then its bytes are the same in every header encoding).
    """

    __slots__ = ("_data_forms", "_text_forms", "ascii_only")

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        self._text_forms = _forms(secrets)
        self._data_forms = tuple(form.encode() for form in self._text_forms)
        self.ascii_only = all(form.isascii() for form in self._text_forms)

    def text(self, value: str) -> str:
        """Return ``value`` with every secret replaced by ``[redacted]``."""
        for form in self._text_forms:
            if form in value:
                value = value.replace(form, REDACTED)
        return value

    def occurs_in(self, value: bytes) -> bool:
        """Return True when any secret's UTF-8 bytes occur in ``value`` (a reply body or raw header)."""
        return any(form in value for form in self._data_forms)

    def occurs_in_text(self, value: str) -> bool:
        """Return True when any secret occurs in ``value``."""
        return any(form in value for form in self._text_forms)

    def data(self, value: bytes) -> bytes:
        """Return ``value`` (a reply body) with every secret's UTF-8 bytes replaced."""
        for form in self._data_forms:
            if form in value:
                value = value.replace(form, _REDACTED_BYTES)
        return value
