"""Making server text inert before the CLI prints it.

A provider controls error messages, request ids, logs and file names. Printed raw, an ``ESC [2J``
clears the screen, an ``OSC`` sequence retitles the window or writes a hyperlink, a ``\\r`` or ``\\n``
forges an output line, a bidi override reverses what follows. `inert` escapes every such character as
visible text (``\\x1b``, ``\\u202e``); ordinary text, accents and emoji pass unchanged. Every CLI line
that includes server text goes through it; ``--json`` output is escaped by JSON itself.

Pure and import-light: the CLI loads it for ``fluxq --help``-fast paths too.
"""

from __future__ import annotations

import unicodedata

_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
"""Controls (C0, C1, DEL), format characters (bidi marks and overrides, zero-width), line/paragraph
separators and lone surrogates."""


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def inert(text: object) -> str:
    """Return ``str(text)`` with every control, format and separator character escaped as visible text."""
    value = str(text)
    if value.isprintable():  # the common case: nothing to escape (isprintable is False for all of the above)
        return value
    return "".join(
        _escape(char) if unicodedata.category(char) in _ESCAPED_CATEGORIES else char for char in value
    )
