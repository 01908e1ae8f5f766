"""The fluxq command line (placeholder until the CLI lands)."""


def main() -> int:
    """Run the CLI."""
    return 0
