"""Benchmarks (`python -m bench.run`, `python -m bench.load`): plain scripts, never timed tests."""
