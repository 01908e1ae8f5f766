"""fluxq conformance: the reference provider, the lifecycle checks and the conformance runner."""
