"""Round-trip YAML: load and save the spec keeping comments, key order, quoting and flow style."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any


def _yaml() -> Any:
    from ruamel.yaml import YAML  # imported late: only docs-diff needs it

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap long descriptions
    yaml.indent(mapping=2, sequence=4, offset=2)
    # An explicit null stays ``null`` (ruamel would write an empty value).
    yaml.representer.add_representer(
        type(None), lambda representer, _: representer.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    return yaml


def load(path: Path) -> Any:
    """Parse `path` into a round-trip tree."""
    return _yaml().load(path.read_text(encoding="utf-8"))


def dumps(tree: Any) -> str:
    """Serialise a round-trip tree."""
    out = io.StringIO()
    _yaml().dump(tree, out)
    return out.getvalue()
