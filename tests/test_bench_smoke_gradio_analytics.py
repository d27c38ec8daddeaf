"""Smoke test of ``python -m bench.gradio_analytics``: a row per size, with a figure for
Gradio's defaults and sfui's. The figures themselves are not judged."""

from __future__ import annotations

import os
import re

from bench.gradio_analytics import main
from sfui.ui.gradio_analytics import QUEUE_ENVIRONMENT


def test_the_bench_prints_both_costs_for_every_size(capsys):
    before = {name: os.environ.get(name) for name in QUEUE_ENVIRONMENT}
    assert main(["--records", "5,50", "--events", "3"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if re.match(r"\s+[\d,]+ \|", line)]
    assert [row.split("|")[0].strip() for row in rows] == ["5", "50"]
    for row in rows:
        assert re.fullmatch(r"\s+[\d,]+ \|\s+\d+\.\d\d ms \|\s+\d+\.\d{3} ms \|\s+\d+x", row), row
    assert {name: os.environ.get(name) for name in QUEUE_ENVIRONMENT} == before  # left as it was
