"""Page text: read a provider page saved as plain text, Markdown or HTML and give its lines.

The parser works on lines of plain text, as a browser's "copy text" or a text extraction gives
them; Markdown and HTML renditions of the same page are first reduced to that shape.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "tr",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "br",
        "hr",
        "td",
        "th",
        "blockquote",
    ]
)
_SKIP_TAGS = frozenset({"script", "style", "head", "nav", "svg"})


class PageUnreadable(Exception):
    """The page cannot be read or does not look like a model page."""


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skipping += 1
        if tag == "pre":
            self._pre += 1
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in {"td", "th", "span", "code"}:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skipping = max(0, self._skipping - 1)
        if tag == "pre":
            self._pre = max(0, self._pre - 1)
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in {"span", "code"} and not self._pre:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(source: str) -> str:
    """Reduce an HTML page to lines of text, one per block element."""
    extractor = _TextExtractor()
    extractor.feed(source)
    extractor.close()
    return html.unescape("".join(extractor.parts))


_MD_DECORATION = re.compile(r"(\*\*|__|`(?!``)|^#{1,6}\s+|^\s*[-*+]\s+|^>\s?)", re.MULTILINE)


def markdown_to_text(source: str) -> str:
    """Reduce Markdown to plain lines: headings, emphasis, inline code and list bullets are dropped."""
    lines = []
    for line in source.splitlines():
        if line.strip().startswith("```"):
            continue  # fences only; the code inside (the curl example) is kept
        lines.append(_MD_DECORATION.sub("", line))
    return "\n".join(lines)


def looks_like_html(source: str) -> bool:
    """Whether `source` is an HTML document rather than text or Markdown."""
    head = source.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or bool(re.search(r"<(body|div|p|h[1-6])\b", head))


def page_lines(path: Path) -> list[str]:
    """The page at `path` as stripped, non-empty lines of plain text.

    Raises:
        PageUnreadable: The file cannot be read or decoded, or holds no text.
    """
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PageUnreadable(f"{path}: {error}") from error
    if looks_like_html(source) or path.suffix.lower() in {".html", ".htm"}:
        source = html_to_text(source)
    elif path.suffix.lower() in {".md", ".markdown", ".mdx"}:
        source = markdown_to_text(source)
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in source.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise PageUnreadable(f"{path}: the page is empty")
    return lines


def normalise_space(text: str) -> str:
    """Collapse every run of whitespace to one space (quotes are compared this way)."""
    return " ".join(text.split())
