"""Smoke test of ``python -m bench.budget --quick``: the demo's budget check timed on and off
in this process, and two sfui processes (budgets on, budgets off) asked in turn without a
browser, print every figure and a verdict; the budgets-on app held and settled every
request. The figures themselves are not judged: no timing assertions."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.support import ROOT

# Two app processes and a fake upstream (about 15 s on 2 idle cores); no browser.
pytestmark = pytest.mark.slow

MS = r"[-+]?\d+\.\d+"
GUARD_ROWS = ("budgets off", "budgets on", "budgets on, money only", "budgets off, 8 threads", "budgets on, 8 threads")
GUARD_LINE = re.compile(rf"\s+({MS})\s+({MS})\s+({MS})\s+\({MS} / {MS}; n=\d+\)")  # p50, p99, CPU p99
FIRST_TOKEN_LINE = re.compile(rf"\s+({MS})\s+({MS})\s+\(n=\d+\)$")
DIFFERENCE = re.compile(rf"\s+({MS})\s+({MS})\s+goal <= \+\d+ ms.*: (met|NOT MET|within|over)\b.*$")


def _line(lines: list[str], label: str, after: int = 0) -> str:
    found = next((line for line in lines[after:] if line.startswith(label + " ")), None)
    assert found is not None, f"no {label!r} line in:\n" + "\n".join(lines)
    return found[len(label):]


@pytest.mark.timeout(300)
def test_quick_budget_benchmark_prints_both_measurements():
    proc = subprocess.run([sys.executable, "-m", "bench.budget", "--quick"], cwd=ROOT, capture_output=True,
                          text=True, timeout=280)
    assert proc.returncode == 0, f"stdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-3000:]}"
    lines = proc.stdout.splitlines()

    guard = next(i for i, line in enumerate(lines) if line.startswith("Budget check per request"))
    for label in GUARD_ROWS:
        assert GUARD_LINE.match(_line(lines, label, guard)), label
    for label in ("difference", "difference, 8 threads"):
        assert DIFFERENCE.match(_line(lines, label, guard)), label

    first = next(i for i, line in enumerate(lines) if line.startswith("First token"))
    for label in ("budgets off", "budgets on"):
        cells = _line(lines, label, first)
        assert FIRST_TOKEN_LINE.search(cells), cells  # every question got its first token
    assert DIFFERENCE.match(_line(lines, "difference", first))
    assert "every request held and settled" in proc.stdout, proc.stdout
    assert re.search(r"^verdict: budget check (met|NOT MET) .*; first token (met|NOT MET) ", proc.stdout, re.M)
