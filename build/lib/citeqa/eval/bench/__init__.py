"""Benchmarks: scripts that measure and write figures (JSON + PNG), never timed tests."""
