"""Make the repository root importable, so ``import benchmarks`` works under importlib mode."""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
