"""Smoke test of the benchmark: ``python -m bench.run --quick`` runs end to end
(fake upstream, three apps, headless Chromium, sfui's Compare tab with three
models, a long saved conversation reopened and asked again) and prints a table
with figures in every row. The figures themselves are not judged: no timing
assertions."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from bench.measure_conversations import QUICK as QUICK_CONVERSATIONS
from tests.support import ROOT

# Minutes long, and the apps are driven in headless Chromium (in the subprocess).
pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROWS = ("client alone", "sfui", "baseline")
COMPARE = "compare, 3 models"
LONG = "long conversation"
DEEP_TURN = QUICK_CONVERSATIONS.deep_turn  # the turn the question deep into a conversation is asked at
NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?x?")


def _cells(line: str, name: str) -> list[str]:
    return line[len(name):].split()


@pytest.mark.timeout(900)
def test_quick_benchmark_prints_figures_for_every_row(tmp_path):
    results = tmp_path / "latest.json"
    chart = tmp_path / "bench.png"
    proc = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--no-chart", "--json", str(results), "--chart", str(chart)],
        cwd=ROOT, capture_output=True, text=True, timeout=840,
    )
    assert proc.returncode == 0, f"stdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-3000:]}"

    lines = proc.stdout.splitlines()
    rule = next((i for i, line in enumerate(lines) if line.startswith("---")), None)
    assert rule is not None, f"no table in:\n{proc.stdout}"
    lines = lines[rule + 1:]  # the table's rows, then the targets
    for name in ROWS:
        row = next((line for line in lines if line.startswith(name + " ")), None)
        assert row is not None, f"no {name!r} row in:\n{proc.stdout}"
        cells = _cells(row, name)
        # first token, overhead, long-answer lag and CPU, worst first token, wall ratio: all measured,
        # none timed out (a time-out would mean the page never showed the answer).
        assert all(NUMBER.fullmatch(cell) for cell in cells[:6]), f"{name}: {cells}"
    for name in ("sfui", "baseline"):  # the apps also have a cold start and a memory figure
        row = next(line for line in lines if line.startswith(name + " "))
        assert all(NUMBER.fullmatch(cell) for cell in _cells(row, name)), f"{name}: {row}"
    # The compare row beside them: first token, overhead, long-answer lag and CPU measured.
    row = next((line for line in lines if line.startswith(COMPARE + " ")), None)
    assert row is not None, f"no {COMPARE!r} row in:\n{proc.stdout}"
    assert all(NUMBER.fullmatch(cell) for cell in _cells(row, COMPARE)[:4]), row
    # ... and its own table against the single chat: every figure there (none timed out,
    # so Stop closed all three upstream requests), and its targets.
    compare = proc.stdout[:proc.stdout.index("Targets, compare")].splitlines()
    row = next((line for line in reversed(compare) if line.startswith(COMPARE + " ")), None)
    assert row is not None, f"no compare table in:\n{proc.stdout}"
    cells = _cells(row, COMPARE)
    assert len(cells) == 7 and all(NUMBER.fullmatch(cell) for cell in cells), row
    assert "Targets" in proc.stdout
    # The many-visitors phase again without browsers: figures for both apps, none timed out.
    protocol = proc.stdout[proc.stdout.index("Many visitors without browsers"):].splitlines()
    for name in ROWS:
        row = next((line for line in protocol if line.startswith(name + " ")), None)
        assert row is not None and all(NUMBER.fullmatch(cell) for cell in _cells(row, name)), f"{name}: {row}"
    assert not chart.exists(), "--no-chart drew a chart"

    data = json.loads(results.read_text())
    assert set(ROWS) <= set(data["rows"])
    assert len(data["targets"]) == 7
    assert len(data["targets_without_browsers"]) == 2
    assert len(data["targets_compare"]) == 3
    assert all(t[COMPARE]["value"] is not None for t in data["targets_compare"])
    assert all(t["sfui"]["value"] is not None for t in data["targets_without_browsers"])
    for name in (*ROWS, COMPARE):
        turns = data["raw"][name]["first_token"]
        assert turns and all(t["first"] is not None and t["final"] >= t["first"] >= t["sent"] for t in turns)
    raw = data["raw"][COMPARE]
    # Every question reached all three panes, each pane's answer whole; Stop was timed.
    assert all(len(turn["panes"]) == 3 and all(p["final"] is not None for p in turn["panes"])
               for turn in [*raw["pane_turns"], raw["long_panes"]])
    assert raw["stops"] and all(isinstance(stop, float) for stop in raw["stops"])

    # The long-conversation rows: a saved conversation reopened (its last message came into view
    # every time), and the same question at turn 1 and deep into a conversation, in the page
    # and without a browser, with the first SSE message's size.
    long_table = proc.stdout[proc.stdout.index(LONG + ":"):proc.stdout.index("Targets, long conversations")]
    for name, growth in (("sfui, new chat (turn 1)", False), (f"sfui, turn {DEEP_TURN}", True)):
        row = next((line for line in long_table.splitlines() if line.startswith(name + " ")), None)
        assert row is not None, f"no {name!r} line in:\n{long_table}"
        cells = _cells(row, name)
        # Every figure measured; turn 1 has no growth against itself (two columns).
        assert [cell for cell in cells if not NUMBER.fullmatch(cell)] == ([] if growth else ["-", "-"]), row
    assert re.search(r"last message in view \d[\d,.]* ms", long_table), long_table
    assert len(data["targets_conversations"]) == 2
    assert all(t[LONG]["value"] is not None for t in data["targets_conversations"])
    raw = data["raw"][LONG]["conversation"]
    assert raw["reopens"] and all(isinstance(r["in_view"], float) for r in raw["reopens"])
    for turns in (raw["turn1"], raw["deep"], raw["protocol_turn1"], raw["protocol_deep"]):
        assert turns and all(t["timing"]["first"] is not None and t["timing"]["final"] is not None for t in turns)
    assert all(t["first_message_bytes"] for t in raw["protocol_deep"])
