"""fluxq benchmarks: figures measured as ratios and counts within one run.

Run them with ``scripts/bench``; each section lives in its own module:

- ``polling``: discrete-event simulation of polling policies on a virtual clock, plus a check
  of the simulation against the real client and the reference provider;
- ``throughput``: tasks per second and CPU per task of the wrapper against bare httpx;
- ``memory``: peak RSS growth while submitting large input images;
- ``tooling``: wall time of the CLI, the conformance runs and the code generator.
"""
