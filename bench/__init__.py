"""Benchmarks. Run them as modules from the repository root, e.g. ``python -m bench.run``,
``python -m bench.soak`` or ``python -m bench.bench_client``."""
