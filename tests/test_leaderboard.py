"""sfui/leaderboard.py: the Bradley-Terry fit on the Elo scale against a hand-worked example and
against FastChat's own algorithm (``compute_bt`` of fastchat/serve/monitor/rating_systems.py,
the successor of elo_analysis.py's ``compute_mle_elo``: the same maximum-likelihood logistic fit,
ties as half a win for each side), ported below with scipy's L-BFGS-B exactly as FastChat runs it.
Agreement: within 0.01 Elo points (measured: under 0.0003; FastChat stops at gtol=1e-6)."""

from __future__ import annotations

import math
import random

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize
from scipy.special import expit

from sfui.leaderboard import MIN_VOTES, WINNERS, ratings, scores

TOLERANCE = 0.01  # Elo points


# --- FastChat's compute_bt (rating_systems.py), ported without the multiprocessing and the anchor -------


def _fastchat_preprocess(df):
    n_rows = len(df)
    schedule = np.full((n_rows, 3), fill_value=1, dtype=np.int32)
    indices, models = pd.factorize(pd.concat([df["model_a"], df["model_b"]]))
    schedule[:, [0, 1]] = np.column_stack([indices[:n_rows], indices[n_rows:]])
    schedule[df["winner"] == "model_a", 2] = 2
    schedule[df["winner"] == "model_b", 2] = 0
    matchups_outcomes, weights = np.unique(schedule, return_counts=True, axis=0)
    return matchups_outcomes[:, [0, 1]], matchups_outcomes[:, 2].astype(np.float64) / 2.0, models.to_list(), \
        weights.astype(np.float64)


def _fastchat_loss_and_grad(ratings, matchups, outcomes, weights, alpha=1.0):
    matchup_ratings = ratings[matchups]
    probs = expit(alpha * (matchup_ratings[:, 0] - matchup_ratings[:, 1]))
    loss = -((np.log(probs) * outcomes + np.log(1.0 - probs) * (1.0 - outcomes)) * weights).sum()
    matchups_grads = -alpha * (outcomes - probs) * weights
    model_grad = np.zeros_like(ratings)
    np.add.at(model_grad, matchups[:, [0, 1]], matchups_grads[:, None] * np.array([1.0, -1.0]))
    return loss, model_grad


def fastchat_compute_bt(battles, base=10.0, scale=400.0, init_rating=1000, tol=1e-6) -> dict[str, float]:
    df = pd.DataFrame(battles, columns=["model_a", "model_b", "winner"])
    matchups, outcomes, models, weights = _fastchat_preprocess(df)
    result = minimize(fun=_fastchat_loss_and_grad, x0=np.zeros(len(models)),
                      args=(matchups, outcomes, weights, math.log(base)), jac=True, method="L-BFGS-B",
                      options={"disp": False, "maxiter": 100, "gtol": tol})
    return dict(zip(models, (result["x"] * scale + init_rating).tolist(), strict=True))


# --- the votes --------------------------------------------------------------------------------------


def simulated(count: int, seed: int = 7) -> list[tuple[str, str, str]]:
    """``count`` battles between five models of known strength, with ties and "both bad"."""
    rng = random.Random(seed)
    strength = {"qwen": 1.0, "deepseek": 0.6, "glm": 0.2, "kimi": -0.3, "llama": -0.8}
    battles = []
    for _ in range(count):
        a, b = rng.sample(sorted(strength), 2)
        p = 1 / (1 + math.exp(strength[b] - strength[a]))
        roll = rng.random()
        winner = "tie" if roll < 0.1 else "tie (bothbad)" if roll < 0.15 else \
            "model_a" if rng.random() < p else "model_b"
        battles.append((a, b, winner))
    return battles


def test_hand_worked_two_models():
    # A beats B 3 times in 4: P = 3/4, so R_A - R_B = 400 log10(3) = 190.85, around a mean of 1000.
    found = scores([("A", "B", "model_a")] * 3 + [("A", "B", "model_b")], prior=0)
    assert found["A"] == pytest.approx(1000 + 200 * math.log10(3), abs=1e-6)
    assert found["B"] == pytest.approx(1000 - 200 * math.log10(3), abs=1e-6)
    # Two wins and two ties are three wins in four (a tie is half a win for each side); "both bad" too.
    for tie in ("tie", "tie (bothbad)"):
        assert scores([("A", "B", "model_a")] * 2 + [("B", "A", tie)] * 2, prior=0) == pytest.approx(found)


def test_hand_worked_cycle_is_all_equal():
    found = scores([("A", "B", "model_a"), ("B", "C", "model_a"), ("C", "A", "model_a")] * 2, prior=0)
    assert found == pytest.approx({"A": 1000.0, "B": 1000.0, "C": 1000.0}, abs=1e-6)


@pytest.mark.parametrize("count,seed", [(60, 1), (300, 7), (1000, 3)])
def test_agrees_with_fastchat_compute_bt(count, seed):
    battles = simulated(count, seed)
    ours, theirs = scores(battles, prior=0), fastchat_compute_bt(battles)
    assert set(ours) == set(theirs)
    for model, rating in theirs.items():
        assert ours[model] == pytest.approx(rating, abs=TOLERANCE), model
    # The app's weak prior moves big samples' scores only a little.
    assert max(abs(scores(battles)[m] - theirs[m]) for m in theirs) < 400 / count * 10


def test_the_prior_keeps_a_clean_sweep_finite():
    found = scores([("A", "B", "model_a")] * 6)
    assert 1000 < found["A"] < 1400 and found["B"] == pytest.approx(2000 - found["A"])


def test_intervals_hold_the_score_and_widen_with_fewer_votes():
    many, few = ratings(simulated(1000)), ratings(simulated(1000)[:100])
    width = {r.model: r.high - r.low for r in many}
    for rating in few:
        assert rating.low <= rating.score <= rating.high
        assert rating.high - rating.low > width[rating.model]
    assert [r.model for r in many] == ["qwen", "deepseek", "glm", "kimi", "llama"]


def test_intervals_are_the_same_for_the_same_votes():
    battles = simulated(200)
    assert ratings(battles) == ratings(list(battles))


def test_no_battles_and_bad_ones():
    assert ratings([]) == [] and scores([("A", "A", "model_a"), ("A", "B", "nobody")]) == {}
    assert MIN_VOTES == 5 and set(WINNERS) == {"model_a", "model_b", "tie", "tie (bothbad)"}
