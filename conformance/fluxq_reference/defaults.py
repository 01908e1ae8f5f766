"""Defaults that the CLI's help shows (kept import-free so `fluxq --help` stays fast)."""

#: The API key the reference provider accepts unless told otherwise.
DEMO_API_KEY = "fluxq-demo-key"
