"""``python -m fluxq_conformance``: the same as ``fluxq conformance``."""

from __future__ import annotations

import sys

from fluxq_conformance.cli import main

if __name__ == "__main__":
    sys.exit(main())
