"""Smoke test of ``python -m bench.search``: the conversation search and the storage meter
measured end to end (fake upstream, sfui, headless Chromium, a page opening with saved
conversations written into its storage) with every figure printed for every size. The
figures themselves are not judged: no timing assertions."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.support import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser]

FIGURES = ("keystroke to paint, median", "first keystroke (reads the text)", "the filter itself, median",
           "main thread per keystroke, TaskDuration", "measure, capacity unknown (probe)",
           "measure, nearly full (probe)")
LINE = re.compile(r"(\d+\.\d+) ms +(\d+\.\d+|nan)x the 3's")


@pytest.mark.timeout(600)
def test_the_search_bench_prints_every_figure_for_every_size():
    proc = subprocess.run([sys.executable, "-m", "bench.search", "--sizes", "3", "6", "--rounds", "1"], cwd=ROOT,
                          capture_output=True, text=True, timeout=540)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = [line.strip() for line in proc.stdout.splitlines()]
    for size in ("3", "6"):
        start = lines.index(f"{size} saved conversations")
        block = lines[start + 1:start + 1 + 16]
        for figure in FIGURES:
            found = [line for line in block if line.startswith(figure)]
            assert len(found) == 1 and LINE.search(found[0]), (size, figure, proc.stdout)
    assert any(re.match(r"6 conversations, keystroke to paint, median: \d+\.\d ms", line) for line in lines)
