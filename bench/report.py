"""The results table and the targets, as plain text.

A row is a dict of metric key -> number (or None where it does not apply or
could not be measured). :data:`COLUMNS` says how to show each metric;
:data:`TARGETS` says which ones sfui promises and how they are judged.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

Row = dict[str, float | None]
COMPARE = "compare, 3 models"  # sfui's Compare tab asking three models at once (same app process as "sfui")
ROW_ORDER = ("client alone", "sfui", COMPARE, "baseline", "bare Gradio")


@dataclass(frozen=True)
class Column:
    key: str
    group: str  # the header's first line, shared by neighbouring columns
    header: str
    fmt: Callable[[float], str]


def _ms(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 10 else f"{v:.1f}"


def _s(v: float) -> str:
    return f"{v:.2f}"


def _ratio(v: float) -> str:
    return f"{v:.2f}x"


def _mb(v: float) -> str:
    return f"{v:+.1f}"


def session_keys(n: int) -> tuple[str, str]:
    return f"s{n}_worst_first_ms", f"s{n}_wall_ratio"


def protocol_keys(n: int) -> tuple[str, str]:
    """The same two figures, for visitors speaking Gradio's protocol without a browser."""
    return f"p{n}_worst_first_ms", f"p{n}_wall_ratio"


def columns(session_counts: tuple[int, ...]) -> list[Column]:
    cols = [
        Column("first_token_ms", "first token", "median ms", _ms),
        Column("overhead_ms", "first token", "overhead ms", _ms),
        Column("long_lag_ms", "long answer", "last-token lag ms", _ms),
        Column("cpu_s_per_1k", "long answer", "CPU s/1k tok", _s),
    ]
    for n in session_counts:
        first, wall = session_keys(n)
        cols += [Column(first, f"{n} sessions", "worst 1st ms", _ms),
                 Column(wall, f"{n} sessions", "wall vs 1", _ratio)]
    cols += [
        Column("cold_start_s", "cold start", "median s", _s),
        Column("cold_ratio", "cold start", "vs bare", _ratio),
        Column("rss_growth_mb", "memory", "MB growth", _mb),
    ]
    return cols


@dataclass(frozen=True)
class Target:
    key: str
    label: str  # for the targets section
    title: str  # shorter, for the chart
    limit: float
    fmt: Callable[[float], str]

    def met(self, value: float | None) -> bool:
        return value is not None and value <= self.limit


def targets(max_sessions: int, conversations: int) -> list[Target]:
    first, wall = session_keys(max_sessions)
    ms = lambda v: f"{_ms(v)} ms"  # noqa: E731
    return [
        Target("overhead_ms", "first-token overhead (median) <= 40 ms", "First-token overhead, ms", 40, ms),
        Target("long_lag_ms", "long answer: last token shown <= 250 ms after the client saw it",
               "Long answer: last token lag, ms", 250, ms),
        Target("cpu_s_per_1k", "app CPU <= 0.3 s per 1,000 tokens", "App CPU per 1,000 tokens, s", 0.3,
               lambda v: f"{_s(v)} s"),
        Target(first, f"{max_sessions} sessions: every first token within 0.5 s of sending",
               f"{max_sessions} sessions: slowest first token, ms", 500, ms),
        Target(wall, f"{max_sessions} sessions: wall time <= 1.5 x one session",
               f"{max_sessions} sessions: wall time vs one", 1.5, _ratio),
        Target("cold_ratio", "cold start <= 1.3 x bare Gradio", "Cold start vs bare Gradio", 1.3, _ratio),
        Target("rss_growth_mb", f"memory growth after {conversations} conversations <= 30 MB",
               f"RSS growth, {conversations} conversations, MB", 30, lambda v: f"{_mb(v)} MB"),
    ]


def protocol_targets(max_sessions: int) -> list[Target]:
    """The many-visitors targets again, judged on visitors without browsers
    (measure_protocol): the server's share, apart from Chromium's."""
    first, wall = protocol_keys(max_sessions)
    return [
        Target(first, f"{max_sessions} sessions, no browsers: every first token within 0.5 s",
               f"{max_sessions} sessions, no browsers: slowest 1st, ms", 500, lambda v: f"{_ms(v)} ms"),
        Target(wall, f"{max_sessions} sessions, no browsers: wall time <= 1.5 x one session",
               f"{max_sessions} sessions, no browsers: wall vs one", 1.5, _ratio),
    ]


def compare_columns() -> list[Column]:
    """The compare row against the single chat of the same run."""
    return [
        Column("first_token_ms", "slowest pane's first token", "median ms", _ms),
        Column("overhead_ms", "slowest pane's first token", "overhead ms", _ms),
        Column("overhead_vs_chat_ms", "slowest pane's first token", "vs chat ms", lambda v: f"{v:+,.0f}"),
        Column("cpu_s_per_1k", "3 long answers", "CPU s/1k tok", _s),
        Column("cpu_vs_chat", "3 long answers", "vs chat", _ratio),
        Column("long_lag_ms", "3 long answers", "last-token lag ms", _ms),
        Column("stop_all_ms", "Stop while streaming", "-> 3 hang-ups ms", _ms),
    ]


def compare_targets() -> list[Target]:
    """Judged on the compare row (against the single chat of the same run)."""
    return [
        Target("overhead_vs_chat_ms", "compare, 3 models: slowest pane's first-token overhead <= chat's + 20 ms",
               "Compare x3: 1st-token overhead vs chat, ms", 20, lambda v: f"{v:+,.0f} ms"),
        Target("cpu_vs_chat", "compare, 3 models: app CPU per 1,000 tokens <= 1.2 x the chat's",
               "Compare x3: CPU per 1k tokens vs chat", 1.2, _ratio),
        Target("stop_all_ms", "compare, 3 models: Stop -> all three upstream requests closed <= 1 s",
               "Compare x3: Stop -> 3 upstream hang-ups, ms", 1000, lambda v: f"{_ms(v)} ms"),
    ]


def protocol_columns(session_counts: tuple[int, ...]) -> list[Column]:
    cols = []
    for n in (1, *session_counts):
        first, wall = protocol_keys(n)
        cols.append(Column(first, f"{n} session{'s' if n > 1 else ''}", "worst 1st ms", _ms))
        if n > 1:
            cols.append(Column(wall, f"{n} sessions", "wall vs 1", _ratio))
    return cols


def _cell(value: float | None, fmt: Callable[[float], str]) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if math.isinf(value):
        return "timeout"
    return fmt(value)


def format_table(rows: dict[str, Row], session_counts: tuple[int, ...], cols: list[Column] | None = None,
                 names: tuple[str, ...] = ROW_ORDER) -> str:
    """The rows ``names`` (in that order) that have a figure in ``cols``."""
    cols = cols or columns(session_counts)
    names = [name for name in names if name in rows and any(rows[name].get(c.key) is not None for c in cols)]
    first_width = max(len(n) for n in names) + 2
    cells = {name: [_cell(rows[name].get(c.key), c.fmt) for c in cols] for name in names}
    widths = [max(len(c.group) if _group_starts(cols, i) else 0, len(c.header), *(len(cells[n][i]) for n in names))
              for i, c in enumerate(cols)]
    groups = "".ljust(first_width) + "  ".join(
        (c.group if _group_starts(cols, i) else "").ljust(w) for i, (c, w) in enumerate(zip(cols, widths, strict=True)))
    headers = "".ljust(first_width) + "  ".join(c.header.rjust(w) for c, w in zip(cols, widths, strict=True))
    lines = [groups.rstrip(), headers, "-" * len(headers)]
    for name in names:
        cells_and_widths = zip(cells[name], widths, strict=True)
        lines.append(name.ljust(first_width) + "  ".join(cell.rjust(w) for cell, w in cells_and_widths))
    return "\n".join(lines)


def _group_starts(cols: list[Column], i: int) -> bool:
    return i == 0 or cols[i - 1].group != cols[i].group


JUDGED = ("sfui", "baseline")


def judge(rows: dict[str, Row], target_list: list[Target], names: tuple[str, ...] = JUDGED) -> list[dict]:
    """Each target with the values of the rows ``names`` and whether each meets it."""
    out = []
    for target in target_list:
        entry = {"target": target.label, "key": target.key, "limit": target.limit}
        for name in names:
            value = rows.get(name, {}).get(target.key)
            entry[name] = {"value": value, "met": target.met(value)}
        out.append(entry)
    return out


def format_targets(rows: dict[str, Row], target_list: list[Target], heading: str = "Targets",
                   names: tuple[str, ...] = JUDGED) -> str:
    width = max(63, *(len(target.label) + 1 for target in target_list))
    lines = [heading.ljust(width + 2) + "".join(name.ljust(20) for name in names).rstrip()]
    for target, verdict in zip(target_list, judge(rows, target_list, names), strict=True):
        shown = []
        for name in names:
            value = verdict[name]["value"]
            mark = "met" if verdict[name]["met"] else "NOT met"
            shown.append(f"{_cell(value, target.fmt):>9} {mark:<8}")
        lines.append(f"  {target.label:<{width}}" + "  ".join(shown).rstrip())
    return "\n".join(lines)


def format_cpu_use(uses: dict[str, dict], cpus: int) -> str:
    """Who kept the CPU busy in each browser phase: the app or Chromium (as % of one core;
    the machine has ``cpus`` x 100 %)."""
    lines = [f"CPU while answering, % of one core (this machine: {cpus} cores = {cpus * 100} %)"]
    width = max((len(name) for name in uses), default=0)
    for name, phases in uses.items():
        parts = [f"{phase}: app {use.app / use.seconds:.0%} / Chromium {use.browser / use.seconds:.0%}"
                 for phase, use in phases.items() if use.seconds > 0]
        lines.append(f"  {name:<{width}} " + "; ".join(parts))
    return "\n".join(lines)


# --- long conversations (bench/measure_conversations.py) ---------------------------------------

LONG_CONVERSATION = "long conversation"  # sfui's saved conversations (same app process as "sfui")


def conversation_columns() -> list[Column]:
    """The long-conversation row shown one line per turn (conversation_lines), beside the single chat.
    In the page: when its request left and how big it was, the first result frame's size, when the
    message bringing the first answer text arrived, from there until that text was shown, and the
    page's long tasks (50 ms or more without a break) from the Enter key to the first text."""
    signed = lambda v: f"{v:+,.0f}"  # noqa: E731
    return [
        Column("first_token_ms", "first token", "median ms", _ms),
        Column("overhead_ms", "first token", "overhead ms", _ms),
        Column("growth_ms", "first token", "vs turn 1 ms", signed),
        Column("join_ms", "page, after Enter", "request sent ms", _ms),
        Column("join_kb", "page, after Enter", "KB", _ms),
        Column("first_frame_kb", "page, after Enter", "1st frame KB", _ms),
        Column("carried_ms", "page, after Enter", "text arrives ms", _ms),
        Column("render_ms", "page, after Enter", "-> shown ms", _ms),
        Column("long_tasks_ms", "page, after Enter", "long tasks ms", _ms),
        Column("p_first_token_ms", "no browser", "1st token ms", _ms),
        Column("p_growth_ms", "no browser", "vs turn 1 ms", signed),
        Column("p_first_message_kb", "no browser", "1st message KB", _ms),
    ]


_PAGE_KEYS = ("first_token_ms", "overhead_ms", "join_ms", "join_kb", "first_frame_kb", "carried_ms", "render_ms",
              "long_tasks_ms")


def conversation_lines(rows: dict[str, Row], deep_turn: int) -> tuple[dict[str, Row], tuple[str, ...]]:
    """The single chat's row and the long-conversation row's two turns as rows of their own
    (for format_table with conversation_columns), and their names in order."""
    long = rows.get(LONG_CONVERSATION, {})
    turns = {"sfui, new chat (turn 1)": "turn1", f"sfui, turn {deep_turn}": "turnN"}
    lines: dict[str, Row] = {name: rows[name] for name in ("client alone", "sfui") if name in rows}
    for name, prefix in turns.items():
        lines[name] = {key: long.get(f"{prefix}_{key}") for key in _PAGE_KEYS}
        lines[name].update({f"p_{key}": long.get(f"p_{prefix}_{key}") for key in ("first_token_ms",
                                                                                "first_message_kb")})
    name = f"sfui, turn {deep_turn}"
    lines[name]["growth_ms"] = long.get("turnN_growth_ms")
    lines[name]["p_growth_ms"] = long.get("p_turnN_growth_ms")
    return lines, tuple(lines)


def conversation_targets(reopen_turns: int, deep_turn: int) -> list[Target]:
    """Judged on the long-conversation row."""
    return [
        Target("reopen_ms", f"reopen a saved {reopen_turns}-turn conversation: click -> last message shown <= 300 ms",
               f"Reopen {reopen_turns} turns: click -> shown, ms", 300, lambda v: f"{_ms(v)} ms"),
        Target("turnN_growth_ms", f"first-token overhead at turn {deep_turn} <= turn 1's + 20 ms",
               f"1st-token overhead, turn {deep_turn} vs 1, ms", 20, lambda v: f"{v:+,.0f} ms"),
    ]


def format_reopen(row: Row, reopen_turns: int) -> str:
    """The reopen figures in two sentences (one figure each: no table needed)."""
    def cell(key: str) -> str:
        return _cell(row.get(key), _ms)

    return (f"Reopen a saved {reopen_turns}-turn conversation ({cell('reopen_file_kb')} KB as a file), medians: "
            f"click -> last message in view {cell('reopen_ms')} ms (in the DOM {cell('reopen_dom_ms')} ms).\n"
            f"  In the page: the request leaves after {cell('reopen_join_ms')} ms ({cell('reopen_join_kb')} KB: "
            f"the conversation opened), the result arrives after {cell('reopen_result_ms')} ms "
            f"({cell('reopen_result_kb')} KB); long tasks {cell('reopen_long_tasks_ms')} ms")
