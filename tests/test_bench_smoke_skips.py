"""Smoke test of ``python -m bench.skips``: a row per step, with Gradio's figure and sfui's.
The figures themselves are not judged."""

from __future__ import annotations

import re

from bench.skips import main


def test_the_bench_prints_both_costs_for_every_step(capsys):
    assert main(["--calls", "2"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.count("|") == 3 and " ms " in line]
    assert [row.split("|")[0].strip().split(",")[0] for row in rows] == ["Send", "after Send", "every step"]
    for row in rows:
        assert re.fullmatch(r"\s+[^|]+ \| \d+\.\d{3} ms \| \d+\.\d{3} ms \| \d+x", row), row
