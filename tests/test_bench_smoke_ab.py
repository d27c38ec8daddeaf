"""Smoke test of ``python -m bench.ab_chat_rows``: the paired A/B of the chat rows' CSS
runs end to end (fake upstream, sfui, two headless Chromium pages that differ only by
the rule, which the script checks) and prints both figures for every row. The figures
themselves are not judged: no timing assertions."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.support import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser]

FIGURES = ("RecalcStyleDuration", "LayoutDuration", "ScriptDuration", "TaskDuration")
LINE = re.compile(r"off +(\d+\.\d+) s +on +(\d+\.\d+) s +(\d+\.\d+|nan)x")


@pytest.mark.timeout(600)
def test_the_chat_rows_ab_prints_both_figures_for_every_row():
    proc = subprocess.run([sys.executable, "-m", "bench.ab_chat_rows", "--samples", "1"], cwd=ROOT,
                          capture_output=True, text=True, timeout=540)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    for what in ("reopen", "turn 50"):
        for figure in (*FIGURES, "last message in view" if what == "reopen" else "first token"):
            found = [line for line in lines if line.strip().startswith(what) and figure in line]
            assert len(found) == 1, (what, figure, proc.stdout)
            assert LINE.search(found[0]), found[0]


COMPARE_LINE = re.compile(r"first token +(\d+) ms +request +(\d+) ms +rest +(\d+) ms")


@pytest.mark.timeout(600)
def test_the_compare_first_token_ab_prints_chat_compare_and_their_difference():
    """``python -m bench.ab_compare_first_token``: chat and 3-pane compare questions in
    one app process and one browser, medians and the difference (not judged)."""
    proc = subprocess.run([sys.executable, "-m", "bench.ab_compare_first_token", "--rounds", "1"], cwd=ROOT,
                          capture_output=True, text=True, timeout=540)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = [line.strip() for line in proc.stdout.splitlines()]
    chat = [line for line in lines if line.startswith("chat ")]
    compare = [line for line in lines if line.startswith("compare ") and "first token" in line]
    assert len(chat) == 1 and COMPARE_LINE.search(chat[0]), proc.stdout
    assert len(compare) == 1 and COMPARE_LINE.search(compare[0]) and "fastest pane" in compare[0], proc.stdout
    assert any(re.match(r"compare - chat: [+-]\d+ ms", line) for line in lines), proc.stdout
