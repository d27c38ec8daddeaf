"""The soak benchmark at a reduced size (10 sessions × 3 turns), through its
command line: simultaneous conversations, none loses or swaps a reply."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.support import ROOT

pytestmark = pytest.mark.slow

SUMMARY = re.compile(
    r"soak: (?P<sessions>\d+) sessions × (?P<turns>\d+) turns = (?P<replies>\d+)/(?P<expected>\d+) replies, "
    r"errors (?P<errors>\d+), lost (?P<lost>\d+), crossed (?P<crossed>\d+) "
    r"\(crossed upstream requests (?P<crossed_requests>\d+)\)"
)


@pytest.mark.timeout(300)  # the soak run below may take its 240 s on a loaded machine
def test_simultaneous_sessions_get_their_own_replies():
    run = subprocess.run(
        [sys.executable, "-m", "bench.soak", "--sessions", "10", "--turns", "3"],
        cwd=ROOT, capture_output=True, text=True, timeout=240,
    )
    print(run.stdout)  # the summary, with the app's RSS before and after (shown with -s or on failure)
    found = SUMMARY.search(run.stdout)
    assert found, f"no summary line (exit {run.returncode}):\n{run.stdout}\n{run.stderr[-3000:]}"
    figures = {name: int(value) for name, value in found.groupdict().items()}
    assert (figures["sessions"], figures["turns"]) == (10, 3)
    assert figures["replies"] == figures["expected"] == 30
    assert figures["errors"] == 0, run.stdout
    assert figures["lost"] == figures["crossed"] == figures["crossed_requests"] == 0, run.stdout
    assert run.returncode == 0
