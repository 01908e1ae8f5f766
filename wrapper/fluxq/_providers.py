"""Provider presets: name → base URL (contract §1). Imports nothing, so every CLI help can use it."""

PROVIDERS: dict[str, str] = {
    "seacloud": "https://cloud.seaart.ai/model",
    "odirouter": "https://odirouter.ai/model",
}
