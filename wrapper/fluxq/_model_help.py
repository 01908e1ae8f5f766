"""What ``fluxq models`` and the CLI help say about the models: read from the generated tables.

Pure functions over `PARAMETERS` / `MODEL_TITLES` (generated from the spec), so a model or a
parameter added to the spec shows up here after ``scripts/regenerate`` with no edit.
"""

from __future__ import annotations

from typing import Any

from ._endpoints import ParameterDoc
from ._generated_models import MODEL_IDS, MODEL_TITLES, PARAMETERS


def _summary(parameter: ParameterDoc) -> str:
    details = [parameter.type]
    if parameter.required:
        details.append("required")
    if parameter.rules:
        details.append(parameter.rules)
    if parameter.default:
        details.append(f"default {parameter.default}")
    return f"{parameter.name} ({'; '.join(details)})"


def model_list_text() -> str:
    """One line per model: id, name and parameter names."""
    return "\n".join(
        f"{model}  {MODEL_TITLES[model]}: {', '.join(p.name for p in PARAMETERS[model])}"
        for model in MODEL_IDS
    )


def model_text(model: str) -> str:
    """Every parameter of `model`: type, required, range/options, default, description.

    Raises:
        KeyError: Unknown model.
    """
    lines = [f"{model}  {MODEL_TITLES[model]}"]
    for parameter in PARAMETERS[model]:
        lines.append(f"  {_summary(parameter)}")
        if parameter.description:
            lines.append(f"      {parameter.description}")
    return "\n".join(lines)


def model_dict(model: str) -> dict[str, Any]:
    """`model` as a JSON-ready mapping.

    Raises:
        KeyError: Unknown model.
    """
    return {
        "model": model,
        "title": MODEL_TITLES[model],
        "parameters": [parameter._asdict() for parameter in PARAMETERS[model]],
    }


def generate_epilog() -> str:
    """The parameters of each model, for ``fluxq generate --help``."""
    lines = ["Parameters per model (pass with -p name=value; see `fluxq models MODEL`):"]
    for model in MODEL_IDS:
        shown = ", ".join(_summary(p) for p in PARAMETERS[model] if p.name != "prompt")
        lines.append(f"{model}: {shown}")
    return "\n\n".join(lines)
