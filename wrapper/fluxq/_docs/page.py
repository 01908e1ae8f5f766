"""Parse a provider's model page into facts: model id, endpoints, auth, and parameter blocks.

Written against the structure these pages share, not their wording:

- the model id is the path segment of the queue endpoints (or a lone snake_case line under the title);
- the curl example gives the auth header and a JSON body whose keys are parameter names, in order;
- each parameter is a block: an optional header line ``name type [required]``, description lines,
  then attribute lines (``Options:``, ``Default:``, ``Range:``, ``Minimum:``, ``Maximum:``).
  Some text extractions drop the header line; those blocks are named later (`naming`) by matching
  their descriptions and the curl body's keys and order.
- The parameter list ends at the response section: a JSON or table line, or a heading (a line
  repeated in quotes on the next line, the way documentation sites label their anchors).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .text import PageUnreadable, normalise_space, page_lines

TYPE_WORDS = {
    "string": "string",
    "str": "string",
    "int": "integer",
    "integer": "integer",
    "bool": "boolean",
    "boolean": "boolean",
    "number": "number",
    "float": "number",
    "double": "number",
    "any": "any",
    "array": "array",
    "list": "array",
    "object": "object",
    "dict": "object",
}
_HEADER = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*[(\[:\-–]?\s*(?P<type>"
    + "|".join(TYPE_WORDS)
    + r")\b[,\s]*(?P<required>required|optional)?\s*[)\]]?$",
    re.IGNORECASE,
)
_ATTRIBUTE = re.compile(
    r"^(?P<key>options|enum|allowed values|possible values|default|range|minimum|min|maximum|max)"
    r"\s*:\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_ENDPOINT = re.compile(r"(?<![A-Z])(POST|GET|PUT|DELETE|PATCH)\s+(/[^\s#\"']+)")
_NUMBER = r"-?\d+(?:\.\d+)?"
_RANGE_INEQUALITY = re.compile(rf"^({_NUMBER})\s*(<=|<|≤)\s*\w+\s*(<=|<|≤)\s*({_NUMBER})$")
_RANGE_SPAN = re.compile(rf"^({_NUMBER})\s*(?:-|–|—|to|\.\.)\s*({_NUMBER})$")
_MULTIPLE = re.compile(r"multiple of (\d+)", re.IGNORECASE)
SIZE_PATTERN = re.compile(r"up to (\d+(?:\.\d+)?)\s*MB", re.IGNORECASE)
_NULLABLE = re.compile(r"\bnull\b|\bnullable\b", re.IGNORECASE)
_MODEL_ID = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")
_PARAMETER_HEADING = re.compile(
    r"^(parameters|request parameters|request body|body|параметры запроса|параметры)$", re.IGNORECASE
)


@dataclass
class Block:
    """One parameter as the page shows it.

    Attributes:
        name: The parameter name, or None when the page's text lost it (filled in by `naming`).
        description: The description text.
        text: The whole block, whitespace-normalised (what an ``x-fluxq-source`` quote would quote).
        facts: What the block states: ``type``, ``required``, ``enum``, ``default``, ``minimum``,
            ``maximum``, ``exclusiveMinimum``, ``exclusiveMaximum``, ``multipleOf``, ``nullable``,
            ``maxSize`` (megabytes). A missing key means the page states no such constraint.
        named_by: ``page`` (a header line), ``curl`` or ``description`` (matched), or None.
    """

    name: str | None
    description: str
    text: str
    facts: dict[str, Any] = field(default_factory=dict)
    named_by: str | None = None


@dataclass
class Page:
    """What one page documents.

    Attributes:
        path: Where the page was read from.
        model: The model id.
        endpoints: ``(METHOD, path)`` pairs, in page order.
        auth: Authorization schemes shown (``bearer``, ``key``, ``x-key``).
        example: The curl example's JSON body, or None.
        blocks: The parameters, in page order.
        names_on_page: Whether the page names and types its parameters (a header line per block);
            when False, ``type`` and ``required`` are unknown rather than absent.
        body_model_field: Whether the body carries a ``model`` field (the older generation format).
    """

    path: Path
    model: str
    endpoints: list[tuple[str, str]]
    auth: list[str]
    example: dict[str, Any] | None
    blocks: list[Block]
    names_on_page: bool
    body_model_field: bool = False


def parse_value(text: str) -> Any:
    """A default or option as JSON would have it: ``2`` → 2, ``false`` → False, ``png`` → "png"."""
    cleaned = text.strip().strip("`'\"")
    try:
        return json.loads(cleaned.lower() if cleaned.lower() in {"true", "false", "null"} else cleaned)
    except json.JSONDecodeError:
        return cleaned


def number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


def _apply_attribute(facts: dict[str, Any], key: str, value: str) -> None:
    key = key.lower()
    if key in {"options", "enum", "allowed values", "possible values"}:
        facts["enum"] = [parse_value(item) for item in re.split(r"\s*[,|]\s*", value) if item.strip()]
    elif key == "default":
        facts["default"] = parse_value(value)
    elif key in {"minimum", "min"}:
        facts["minimum"] = number(value.strip())
    elif key in {"maximum", "max"}:
        facts["maximum"] = number(value.strip())
    elif key == "range":
        inequality = _RANGE_INEQUALITY.match(value.strip())
        span = _RANGE_SPAN.match(value.strip())
        if inequality:
            low, low_op, high_op, high = inequality.groups()
            facts["minimum" if low_op != "<" else "exclusiveMinimum"] = number(low)
            facts["maximum" if high_op != "<" else "exclusiveMaximum"] = number(high)
        elif span:
            facts["minimum"], facts["maximum"] = number(span.group(1)), number(span.group(2))


def _description_facts(facts: dict[str, Any], description: str) -> None:
    if multiple := _MULTIPLE.search(description):
        facts["multipleOf"] = int(multiple.group(1))
    if size := SIZE_PATTERN.search(description):
        facts["maxSize"] = number(size.group(1))
    facts["nullable"] = bool(_NULLABLE.search(description))


def _is_heading(lines: list[str], index: int) -> bool:
    """A heading: the next line repeats it in quotes (an anchor label such as «Section titled “X”»)."""
    if index + 1 >= len(lines):
        return False
    line, following = lines[index], lines[index + 1]
    return any(f"{open_}{line}{close}" in following for open_, close in ("«»", "“”", '""', "''"))


def _ends_parameters(lines: list[str], index: int) -> bool:
    line = lines[index]
    return line.startswith(("{", "|", "[")) or _is_heading(lines, index)


def _curl_example(text: str) -> tuple[dict[str, Any] | None, int]:
    """The JSON body of the first ``--data '…'`` (or ``-d``) and the offset just after it."""
    match = re.search(r"(?:--data(?:-raw)?|-d)\s+'(\{.*?\})'", text, re.DOTALL)
    if not match:
        return None, -1
    try:
        body = json.loads(match.group(1))
    except json.JSONDecodeError:
        return None, match.end()
    return (body if isinstance(body, dict) else None), match.end()


def _region(lines: list[str]) -> tuple[list[str], bool]:
    """The lines of the parameter list (and whether it starts right after the curl example)."""
    joined = "\n".join(lines)
    _, end = _curl_example(joined)
    if end >= 0:
        rest = joined[end:].split("\n")
        return [line.strip() for line in rest if line.strip()], True
    start = 0
    for index, line in enumerate(lines):
        if _PARAMETER_HEADING.match(line):
            start = index + 1
            break
    return lines[start:], False


def _split_blocks(region: list[str], with_headers: bool) -> list[list[str]]:
    blocks: list[list[str]] = []
    in_attributes = False
    for index, line in enumerate(region):
        if _ends_parameters(region, index):
            break
        header = bool(_HEADER.match(line))
        attribute = bool(_ATTRIBUTE.match(line))
        if attribute and blocks:
            blocks[-1].append(line)
            in_attributes = True
            continue
        if with_headers:
            if header:
                blocks.append([line])
                in_attributes = False
            elif blocks and not in_attributes and len(blocks[-1]) < 4:
                blocks[-1].append(line)  # a description line (at most three per block)
            elif blocks:
                break  # prose after the last parameter: the parameter list is over
        else:
            blocks.append([line])
            in_attributes = False
    return blocks


def _block(lines: list[str], with_headers: bool) -> Block:
    facts: dict[str, Any] = {}
    name: str | None = None
    body = lines
    if with_headers:
        header = _HEADER.match(lines[0])
        assert header is not None  # a block with headers starts with one (see _split_blocks)
        name = header.group("name")
        facts["type"] = TYPE_WORDS[header.group("type").lower()]
        facts["required"] = (header.group("required") or "").lower() == "required"
        body = lines[1:]
    description_lines = [line for line in body if not _ATTRIBUTE.match(line)]
    description = " ".join(description_lines)
    for line in body:
        if attribute := _ATTRIBUTE.match(line):
            _apply_attribute(facts, attribute.group("key"), attribute.group("value"))
    _description_facts(facts, description)
    return Block(
        name=name,
        description=description,
        text=normalise_space(" ".join(lines)),
        facts=facts,
        named_by="page" if name else None,
    )


def _model_id(lines: list[str], endpoints: list[tuple[str, str]]) -> str | None:
    for _, path in endpoints:
        if match := re.match(r"^/v1/queue/([A-Za-z0-9_\-]+)", path):
            return match.group(1)
    for line in lines[:12]:
        if _MODEL_ID.match(line):
            return line
    return None


def _auth(text: str) -> list[str]:
    schemes = []
    for scheme in re.findall(r"Authorization:\s*(Bearer|Key)\b", text, re.IGNORECASE):
        if scheme.lower() not in schemes:
            schemes.append(scheme.lower())
    if re.search(r"\bx-key\s*:", text, re.IGNORECASE):
        schemes.append("x-key")
    return schemes


def parse_page(path: Path) -> Page:
    """Read and parse one page.

    Raises:
        PageUnreadable: The file cannot be read, or it shows no model id or no parameters.
    """
    lines = page_lines(path)
    text = "\n".join(lines)
    endpoints = [(method, route) for method, route in _ENDPOINT.findall(text) if route.startswith("/v1/")]
    model = _model_id(lines, endpoints)
    if model is None:
        raise PageUnreadable(f"{path}: no model id (no /v1/queue/<model> endpoint and no id line)")
    example, _ = _curl_example(text)
    region, _after_curl = _region(lines)
    with_headers = any(_HEADER.match(line) for line in region)
    blocks = [_block(lines, with_headers) for lines in _split_blocks(region, with_headers)]
    body_model_field = False
    kept = []
    for block in blocks:
        if block.name == "authorization":
            continue  # the auth header documented as a "parameter"
        if block.name == "model" and model in block.facts.get("enum", []):
            body_model_field = True  # the generation format names the model in the body
            continue
        kept.append(block)
    if not kept:
        raise PageUnreadable(f"{path}: no parameters found for {model}")
    return Page(
        path=path,
        model=model,
        endpoints=endpoints,
        auth=_auth(text),
        example=example,
        blocks=kept,
        names_on_page=with_headers,
        body_model_field=body_model_field,
    )
