"""Smoke test of ``python -m bench.bench_client``: a quick run prints every figure and
writes them as JSON. The figures themselves are not judged (no timing assertions)."""

from __future__ import annotations

import json
import re

from bench import bench_client

# Not marked slow: the quick run takes about a second, so the quick test command keeps it.

ROWS = (
    "per chunk, wall (µs/chunk)",
    "per chunk, client CPU (µs/chunk)",
    "first byte -> first text, median (ms)",
    "first byte -> first text, p90 (ms)",
)
# sfui, baseline, ratio
FIGURES = re.compile(r"\s+(\d+\.\d+)\s+(\d+\.\d+)\s+(\d+\.\d+)x$")


def test_quick_run_prints_and_saves_the_figures(tmp_path, capsys):
    out = tmp_path / "client.json"
    bench_client.main(["--quick", "--out", str(out)])
    printed = capsys.readouterr().out

    for label in ROWS:
        line = next((line for line in printed.splitlines() if line.startswith(label)), None)
        assert line is not None, f"no {label!r} row in:\n{printed}"
        assert FIGURES.search(line), line

    saved = json.loads(out.read_text())
    for side in ("sfui", "baseline"):
        figures = saved[side]
        assert figures["wall_us_per_chunk"] > 0 and figures["cpu_us_per_chunk"] >= 0
        assert len(figures["first_event_ms"]["samples"]) == saved["config"]["runs"]
        assert figures["first_event_ms"]["median"] > 0  # measured after the write, never before
    assert set(saved["ratios"]) == {"wall_per_chunk", "cpu_per_chunk", "first_event_median"}
