"""Blind votes as records: what the browser keeps of each vote, FastChat's battle format, the
leaderboard's rows.

A record is one vote on one round: the names shown (pane order), the vote, its battles in
FastChat's format (two panes: one battle; three or four: the chosen pane beats each other one,
"tie" ties every pair, "bad" is "tie (bothbad)" between every pair), when, each answer's cost,
first-token time and speed, and whether it counts (only blind votes where no answer names its
own model, between at least two models) with the reason when not. Records come back from the
browser: ``clean_records`` checks each one and drops what is malformed.

Plain Python: no Gradio.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .i18n import t
from .leaderboard import MIN_VOTES, WINNERS, ratings
from .prices import format_money
from .self_naming import first_naming

MAX_RECORDS = 2000  # kept in the browser, the newest
MAX_NAME_CHARS = 300
MAX_PANES = 4
REASONS = ("not_blind", "one_model", "self_naming")
HEADER_KEYS = ("leaderboard_col_rank", "leaderboard_col_model", "leaderboard_col_score", "leaderboard_col_interval",
               "leaderboard_col_votes", "leaderboard_col_cost", "leaderboard_col_tps")
# The round state's entry with what a vote needs of the round's answers (see round_results).
ROUND_KEY = "leaderboard"


@dataclass(frozen=True)
class Answer:
    """One pane's answer, as the leaderboard keeps it."""

    model: str  # the pane's name (the tally's: the model id, with its temperature if set)
    cost: float | None
    ttft: float | None
    tps: float | None

    def to_json(self) -> dict:
        return {"model": self.model, "cost": self.cost, "ttft": self.ttft, "tps": self.tps}


def _figure(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        return None
    return float(value)


def _name(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() and len(value) <= MAX_NAME_CHARS else None


def battles_of(names: Sequence[str], vote: int | str) -> list[dict]:
    """The vote's battles in FastChat's format; pairs of one name are no battle."""
    pairs = []
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            if names[i] == names[j]:
                continue
            if isinstance(vote, int):
                if vote not in (i, j):
                    continue
                winner = "model_a" if vote == i else "model_b"
            else:
                winner = "tie" if vote == "tie" else "tie (bothbad)"
            pairs.append({"model_a": names[i], "model_b": names[j], "winner": winner})
    return pairs


def make_record(round_id: str, names: Sequence[str], vote: int | str, answers: Sequence[Answer], *, blind: bool,
                named: dict | None, tstamp: float) -> dict:
    """The record of one vote (see the module's docstring)."""
    battles = battles_of(names, vote)
    reason = "not_blind" if not blind else "one_model" if not battles else "self_naming" if named else None
    return {"id": round_id, "tstamp": round(tstamp, 3), "models": list(names), "vote": vote, "battles": battles,
            "answers": [answer.to_json() for answer in answers], "counted": reason is None, "reason": reason,
            "named": named}


def _clean_battle(obj: Any) -> dict | None:
    if not isinstance(obj, dict):
        return None
    a, b, winner = _name(obj.get("model_a")), _name(obj.get("model_b")), obj.get("winner")
    return None if a is None or b is None or a == b or winner not in WINNERS else \
        {"model_a": a, "model_b": b, "winner": winner}


def clean_record(obj: Any) -> dict | None:
    """One record as it came back from the browser, or None when malformed. Never raises."""
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str) or len(obj["id"]) > 64:
        return None
    tstamp, battles, answers = _figure(obj.get("tstamp")), obj.get("battles"), obj.get("answers")
    names = obj.get("models")
    if tstamp is None or not isinstance(battles, list) or not isinstance(answers, list) or \
            not isinstance(names, list) or not 0 < len(names) <= MAX_PANES or len(answers) > MAX_PANES:
        return None
    clean_battles = [_clean_battle(battle) for battle in battles[:MAX_PANES * 3]]
    clean_answers = [Answer(_name(a.get("model")) or "", _figure(a.get("cost")), _figure(a.get("ttft")),
                            _figure(a.get("tps"))) for a in answers if isinstance(a, dict)]
    if any(battle is None for battle in clean_battles) or any(not answer.model for answer in clean_answers) \
            or any(_name(name) is None for name in names):
        return None
    reason = obj.get("reason") if obj.get("reason") in REASONS else None
    counted = obj.get("counted") is True and reason is None and bool(clean_battles)
    named = obj.get("named")
    named = {"model": str(named.get("model"))[:MAX_NAME_CHARS], "word": str(named.get("word"))[:100]} \
        if isinstance(named, dict) else None
    vote = obj.get("vote") if obj.get("vote") in ("tie", "bad") or isinstance(obj.get("vote"), int) else None
    return {"id": obj["id"], "tstamp": tstamp, "models": list(names), "vote": vote, "battles": clean_battles,
            "answers": [answer.to_json() for answer in clean_answers], "counted": counted,
            "reason": reason if not counted else None, "named": named}


def clean_records(obj: Any) -> list[dict]:
    """The records from the browser, malformed ones and repeated rounds dropped, the newest MAX_RECORDS."""
    if not isinstance(obj, list):
        return []
    seen: set[str] = set()
    records = []
    for item in obj[-MAX_RECORDS * 2:]:
        record = clean_record(item)
        if record is not None and record["id"] not in seen:
            seen.add(record["id"])
            records.append(record)
    return records[-MAX_RECORDS:]


def add_record(records: Any, record: dict) -> list[dict]:
    """A new list with ``record`` added (a round already recorded is not added again)."""
    kept = clean_records(records)
    if any(old["id"] == record["id"] for old in kept):
        return kept
    return [*kept, record][-MAX_RECORDS:]


def export_jsonl(records: Sequence[dict]) -> str:
    """The counted votes' battles as JSON Lines in FastChat's battle format."""
    lines = [json.dumps({**battle, "tstamp": record["tstamp"]}, ensure_ascii=False)
             for record in records if record.get("counted") for battle in record["battles"]]
    return "".join(line + "\n" for line in lines)


def vote_note(record: dict, lang: str) -> str:
    """What the page says about a vote: counted, or not and why."""
    reason = record.get("reason")
    if record.get("counted"):
        return t(lang, "vote_counted")
    if reason == "self_naming" and record.get("named"):
        return t(lang, "vote_not_counted_self_naming", **record["named"])
    return t(lang, f"vote_not_counted_{reason or 'not_blind'}")


def _cell(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def leaderboard_rows(records: Sequence[dict], lang: str, currency: str) -> list[list]:
    """The leaderboard table (HEADER_KEYS): rank, model, score, 95% interval, counted votes, mean cost
    per answer, median tokens/s; ranked models first, then those with too few votes."""
    counted = [record for record in records if record.get("counted")]
    battles = [(b["model_a"], b["model_b"], b["winner"]) for record in counted for b in record["battles"]]
    votes: dict[str, int] = {}
    costs: dict[str, list[float]] = {}
    speeds: dict[str, list[float]] = {}
    for record in counted:
        for model in set(record["models"]):
            votes[model] = votes.get(model, 0) + 1
        for answer in record["answers"]:
            if answer["cost"] is not None:
                costs.setdefault(answer["model"], []).append(answer["cost"])
            if answer["tps"] is not None:
                speeds.setdefault(answer["model"], []).append(answer["tps"])
    rows: list[list] = []
    waiting: list[list] = []
    for rating in ratings(battles):
        model = rating.model
        cost = statistics.fmean(costs[model]) if costs.get(model) else None
        tps = statistics.median(speeds[model]) if speeds.get(model) else None
        tail = [votes.get(model, 0), _cell(cost, 8), _cell(tps, 1)]
        if votes.get(model, 0) >= MIN_VOTES:
            rows.append([len(rows) + 1, model, round(rating.score), f"{rating.low:.0f} – {rating.high:.0f}", *tail])
        else:
            waiting.append(["–", model, None, t(lang, "leaderboard_not_enough"), *tail])
    return rows + waiting


def header(lang: str, currency: str) -> list[str]:
    return [t(lang, key, currency=currency) for key in HEADER_KEYS]


def chart_points(rows: Sequence[Sequence]) -> list[tuple[str, float, float]]:
    """The chart's points: (model, cost per answer, score) of each scored model with a known cost."""
    return [(row[1], row[5], row[2]) for row in rows if row[2] is not None and row[5] is not None]


def summary(records: Sequence[dict], lang: str) -> str:
    counted = sum(1 for record in records if record.get("counted"))
    if not counted:
        return t(lang, "leaderboard_empty")
    return t(lang, "leaderboard_summary", counted=counted, uncounted=len(records) - counted)


def reveal(name: str, answer: dict | None, lang: str, currency: str) -> str:
    """A pane's label after the vote: its name, the answer's cost, first-token time and speed."""
    unknown = t(lang, "pane_reveal_unknown")
    answer = answer or {}
    cost = unknown if answer.get("cost") is None else format_money(answer["cost"], currency)
    ttft = unknown if answer.get("ttft") is None else t(lang, "pane_reveal_seconds", seconds=answer["ttft"])
    tps = unknown if answer.get("tps") is None else t(lang, "pane_reveal_tps", tps=answer["tps"])
    return t(lang, "pane_reveal", name=name, cost=cost, ttft=ttft, tps=tps)


def round_results(round_id: str, names: Sequence[str], model_ids: Sequence[str], rows: Sequence[Sequence],
                  texts: Sequence[str], columns: tuple[int, int, int]) -> dict:
    """What a vote needs of a round that ended, kept in the round's state (ROUND_KEY): its id, each
    pane's answer figures (``rows``: the results table's, ``columns``: where its first-token time,
    speed and cost are) and the first answer that names its own model (``texts``: each pane's)."""
    ttft, tps, cost = columns
    answers = [Answer(name, _figure(row[cost]), _figure(row[ttft]), _figure(row[tps])).to_json()
               for name, row in zip(names, rows, strict=True)]
    naming = first_naming(list(zip(model_ids, texts, strict=True)))
    return {"id": round_id, "answers": answers,
            "named": None if naming is None else {"model": naming.model, "word": naming.word}}


def results_of(state: Any) -> dict | None:
    """The round results kept in a round's state (see round_results), or None."""
    results = state.get(ROUND_KEY) if isinstance(state, dict) else None
    if not isinstance(results, dict) or not isinstance(results.get("id"), str) or \
            not isinstance(results.get("answers"), list):
        return None
    return results


def with_results(state: dict, results: dict | None) -> dict:
    """A round's state with ``results`` kept in it (none: unchanged)."""
    return state if results is None else {**state, ROUND_KEY: results}
