"""Compare: the same question to several models (or several answers of one), as plain Python.

What the Compare tab needs besides streaming (sfui.streaming.stream_panes): the
slots a visitor filled in and the request fields each one sends, the results
table and chart rows from the finished Turns (figures from the server's usage,
never from counting characters), blind mode's letters, and the vote tally that
the browser keeps (plain JSON data, checked whenever it comes back).

Nothing here imports Gradio or does HTTP; every function is testable alone.
"""

from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .chat import Turn
from .i18n import t
from .params import BY_NAME, InputError, format_number, parse_number
from .prices import YUAN

MAX_SLOTS = 4
MAX_SAMPLES = 4  # answers of one model in one request (the API's n)
LETTERS = "ABCD"  # blind mode's pane labels
VOTE_TIE = "tie"
VOTE_BAD = "bad"
# A tally from the browser is kept to this many names; a name to this many characters.
MAX_TALLY_NAMES = 200
MAX_NAME_CHARS = 300
_MAX_COUNT = 10**9

# Catalogue keys of the results table's columns, in stats_rows' order.
STATS_HEADER_KEYS = (
    "compare_col_pane",
    "compare_col_ttft",
    "compare_col_tps",
    "compare_col_prompt_tokens",
    "compare_col_completion_tokens",
    "compare_col_reasoning_tokens",
    "compare_col_total_time",
    "compare_col_finish_reason",
    "compare_col_cost",
)
# Where the charts find their figures in a row of stats_rows.
TTFT_COLUMN, SPEED_COLUMN, COST_COLUMN = 1, 2, STATS_HEADER_KEYS.index("compare_col_cost")
# ... and of the tally table's, in tally_rows' order.
TALLY_HEADER_KEYS = (
    "compare_col_pane",
    "compare_tally_wins",
    "compare_tally_ties",
    "compare_tally_losses",
    "compare_tally_win_rate",
)


# --- slots ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One model to ask, with its own temperature (None: the chat's)."""

    model: str
    temperature: float | None = None

    def title(self, lang: str) -> str:
        """What its pane is called: the model id, and the temperature when the slot sets one."""
        if self.temperature is None:
            return self.model
        return t(lang, "compare_slot_title", model=self.model, temperature=format_number(self.temperature))

    @property
    def name(self) -> str:
        """The slot's name in the vote tally: its title in one language, so that a
        vote counts for the same name whatever the page's language was."""
        return self.title("en")


def slots_from_inputs(models: Sequence[str | None], temperatures: Sequence[Any], *, samples: int = 1) -> list[Slot]:
    """The filled slots, in order: ``models[i]`` with ``temperatures[i]`` (empty =
    the chat's temperature). An empty model leaves its slot out. Raises InputError
    for a temperature out of range (naming ``compare-temperature-<slot>``), more
    than MAX_SLOTS models, or fewer than two (one is enough with ``samples`` > 1:
    one model's several answers)."""
    slots: list[Slot] = []
    for position, model in enumerate(models, 1):
        model = model.strip() if isinstance(model, str) else ""
        if not model:
            continue
        value = temperatures[position - 1] if position <= len(temperatures) else None
        field = dataclasses.replace(BY_NAME["temperature"], name=f"compare-temperature-{position}")
        temperature = parse_number(field, value)
        slots.append(Slot(model, None if temperature is None else float(temperature)))
    if len(slots) > MAX_SLOTS:
        raise InputError("input_compare_too_many", limit=MAX_SLOTS)
    if not slots and samples > 1:
        raise InputError("input_compare_model")
    if len(slots) < (1 if samples > 1 else 2):
        raise InputError("input_compare_slots")
    return slots


def parse_samples(value: Any) -> int:
    """The number of answers to ask one model for (the ``compare-n`` choice): 1 to MAX_SAMPLES."""
    try:
        number = float(value) if value not in (None, "") else 1.0
    except (TypeError, ValueError):
        number = float("nan")
    if not number.is_integer() or not 1 <= number <= MAX_SAMPLES:
        raise InputError("input_compare_samples", limit=MAX_SAMPLES)
    return int(number)


def slot_params(base: dict, slot: Slot, n: int = 1) -> dict:
    """The request fields of one slot: the chat's (``Controls.to_params()``), with
    the slot's temperature when it sets one, and ``n`` when it asks for several answers."""
    params = dict(base)
    if slot.temperature is not None:
        params["temperature"] = slot.temperature
    if n > 1:
        params["n"] = n
    return params


def pane_titles(slots: Sequence[Slot], samples: int, lang: str) -> list[str]:
    """One title per pane: each slot's, or with ``samples`` > 1 each answer's of each slot."""
    if samples <= 1:
        return [slot.title(lang) for slot in slots]
    return [t(lang, "compare_sample_title", title=slot.title(lang), number=number)
            for slot in slots for number in range(1, samples + 1)]


def pane_names(slots: Sequence[Slot], samples: int) -> list[str]:
    """One tally name per pane (a slot's answers all count for the slot)."""
    return [slot.name for slot in slots for _ in range(max(samples, 1))]


# --- results --------------------------------------------------------------------------------


def _seconds(start: float, end: float | None, digits: int = 2) -> float | None:
    return None if end is None else round(end - start, digits)


def stats_row(title: str, turn: Turn) -> list:
    """One pane's row of the results table (see STATS_HEADER_KEYS). Token counts are the
    server's usage (None when it sent none; with several answers in one request, the
    request's total); times in seconds; the cost in the site's money (None: price unknown)."""
    usage = turn.usage
    tps = turn.answer_tokens_per_second()
    end = turn.ended_at if turn.ended_at is not None else turn.clock()
    finish = turn.finish_reason
    if finish is None and turn.status in ("error", "stopped"):
        finish = t(turn.lang, "status_" + turn.status)
    return [
        title,
        _seconds(turn.started, turn.first_token_at),
        None if tps is None else round(tps, 1),
        None if usage is None else usage.prompt_tokens,
        None if usage is None else usage.completion_tokens,
        None if usage is None else usage.reasoning_tokens,
        _seconds(turn.started, end),
        finish,
        None if turn.cost is None else round(turn.cost, 8),
    ]


def stats_rows(titles: Sequence[str], turns: Sequence[Turn]) -> list[list]:
    """The results table: one row per pane, ``titles[i]`` for ``turns[i]``."""
    return [stats_row(title, turn) for title, turn in zip(titles, turns, strict=True)]


def stats_header(lang: str, currency: str = YUAN) -> list[str]:
    return [t(lang, key, currency=currency) for key in STATS_HEADER_KEYS]



# A model id's organisation prefixes ("Pro/", "deepseek-ai/"): left off the charts' bar labels.
_ORG_PREFIX = re.compile(r"(?<![\w.-])[\w.-]+/")


def chart_labels(names: Sequence[str]) -> list[str]:
    """The charts' bar labels for panes called ``names``: each name without its model id's
    organisation ("Qwen/Qwen3-8B" -> "Qwen3-8B"), so that long ids do not crowd the axis;
    the full names if that would make two labels alike (bars with one label are drawn as one)."""
    short = [_ORG_PREFIX.sub("", name) or name for name in names]
    return short if len(set(short)) == len(short) else list(names)


def chart_points(rows: Sequence[Sequence], column: int) -> list[tuple[str, Any]]:
    """One chart's bars from the results table's ``rows`` (see stats_rows): (label, value of
    ``column``) in pane order, a pane without that figure left out."""
    labels = chart_labels([row[0] for row in rows])
    return [(label, row[column]) for label, row in zip(labels, rows, strict=True) if row[column] is not None]


# --- blind mode -------------------------------------------------------------------------------


def blind_order(count: int, rng: random.Random) -> list[int]:
    """A random permutation of the panes' letters: pane i is labelled ``LETTERS[order[i]]``."""
    if not 0 <= count <= len(LETTERS):
        raise ValueError(f"blind mode labels at most {len(LETTERS)} panes, not {count}")
    order = list(range(count))
    rng.shuffle(order)
    return order


def blind_labels(order: Sequence[int]) -> list[str]:
    return [LETTERS[letter] for letter in order]


# --- the tally ----------------------------------------------------------------------------------


def _count(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _MAX_COUNT:
        return None
    return value


def clean_tally(obj: Any) -> dict[str, dict[str, int]]:
    """A tally as it came back from the browser, with anything malformed dropped:
    ``{name: {"wins": n, "ties": n, "losses": n}}``, counts whole numbers >= 0 (a
    missing one is 0). Never raises."""
    if not isinstance(obj, dict):
        return {}
    clean: dict[str, dict[str, int]] = {}
    for name, entry in obj.items():
        if len(clean) >= MAX_TALLY_NAMES:
            break
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_CHARS or not isinstance(entry, dict):
            continue
        counts = {key: _count(entry.get(key, 0)) for key in ("wins", "ties", "losses")}
        if all(count is not None for count in counts.values()):
            clean[name] = counts  # type: ignore[assignment]
    return clean


def record_vote(tally: Any, names: Sequence[str], vote: int | str) -> dict[str, dict[str, int]]:
    """A new tally with one vote added (``tally`` itself is not changed). ``names[i]``
    is pane i's name. ``vote``: a pane index (its name wins, every other name loses),
    VOTE_TIE (every name ties) or VOTE_BAD (every name loses). A name shown in several
    panes counts once per vote; when every pane shows the same name (one model's
    several answers) there was no contest and the tally stays as it was."""
    new = clean_tally(tally)
    distinct = list(dict.fromkeys(names))
    if isinstance(vote, int) and not isinstance(vote, bool):
        if not 0 <= vote < len(names):
            raise ValueError(f"no pane {vote} among {len(names)}")
        outcome = {name: "wins" if name == names[vote] else "losses" for name in distinct}
    elif vote == VOTE_TIE:
        outcome = dict.fromkeys(distinct, "ties")
    elif vote == VOTE_BAD:
        outcome = dict.fromkeys(distinct, "losses")
    else:
        raise ValueError(f"unknown vote {vote!r}")
    if len(distinct) < 2:
        return new
    for name, result in outcome.items():
        entry = dict(new.get(name) or {"wins": 0, "ties": 0, "losses": 0})
        entry[result] = min(entry[result] + 1, _MAX_COUNT)
        new[name] = entry
    return new


def tally_rows(tally: Any) -> list[list]:
    """The tally table (see TALLY_HEADER_KEYS): name, wins, ties, losses and win rate
    (wins / votes, "67%"), best win rate first, then most votes."""
    rows = []
    for name, entry in clean_tally(tally).items():
        votes = entry["wins"] + entry["ties"] + entry["losses"]
        rate = entry["wins"] / votes if votes else 0.0
        rows.append((rate, votes, name, [name, entry["wins"], entry["ties"], entry["losses"],
                                         f"{round(rate * 100)}%" if votes else "–"]))
    rows.sort(key=lambda row: (-row[0], -row[1], row[2]))
    return [row[3] for row in rows]


def tally_header(lang: str) -> list[str]:
    return [t(lang, key) for key in TALLY_HEADER_KEYS]
