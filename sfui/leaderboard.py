"""Bradley-Terry scores on the Elo scale from pairwise battles, as FastChat's arena computes them.

A battle is (model_a, model_b, winner) with winner "model_a", "model_b", "tie" or "tie (bothbad)";
a tie counts half a win for each side (FastChat's weights). The fit maximises the Bradley-Terry
likelihood, P(a beats b) = 1 / (1 + 10 ** ((R_b - R_a) / 400)), by Newton's method on the natural
scale, and reports R = 1000 + 400 * theta / ln(10) with the scores' mean at 1000 (FastChat's
``compute_bt`` / ``compute_mle_elo`` without the anchor model: scale 400, base 10, init 1000).

Unlike FastChat's unregularised fit, the app's adds a weak prior (``PRIOR`` virtual ties of each
model against a 1000-rated reference): with few votes, a model that won every battle would
otherwise score infinity. ``prior=0`` is exactly the maximum-likelihood fit (tests compare it with
FastChat's numbers). The 95% intervals are percentiles of ``ROUNDS`` bootstrap refits (FastChat's
multinomial resampling of the battles, with a fixed seed: the same votes always give the same
intervals).

Plain Python with numpy: no Gradio.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

SCALE = 400.0
BASE = 10.0
INIT = 1000.0
ALPHA = math.log(BASE) / SCALE  # natural units per Elo point
PRIOR = 0.5  # virtual ties per model against a 1000-rated reference (the app's fits)
ROUNDS = 200  # bootstrap refits for the intervals
SEED = 0
MIN_VOTES = 5  # fewer counted votes: "not enough votes yet" instead of a score
WINNERS = ("model_a", "model_b", "tie", "tie (bothbad)")


@dataclass(frozen=True)
class Rating:
    model: str
    score: float
    low: float  # the 95% interval's ends
    high: float


def _wins(battles: Iterable[Sequence[str]]) -> tuple[list[str], np.ndarray]:
    """The models (first seen first) and W[i, j]: i's wins over j, each tie half a win for both."""
    models: dict[str, int] = {}
    cells: list[tuple[int, int, float]] = []
    for model_a, model_b, winner in battles:
        if model_a == model_b or winner not in WINNERS:
            continue
        a, b = (models.setdefault(model, len(models)) for model in (model_a, model_b))
        if winner == "model_a":
            cells.append((a, b, 1.0))
        elif winner == "model_b":
            cells.append((b, a, 1.0))
        else:
            cells += [(a, b, 0.5), (b, a, 0.5)]
    wins = np.zeros((len(models), len(models)))
    for i, j, amount in cells:
        wins[i, j] += amount
    return list(models), wins


def fit_natural(wins: np.ndarray, prior: float = PRIOR, iterations: int = 100) -> np.ndarray:
    """The Bradley-Terry strengths (natural log scale, mean 0) for the win matrix ``wins``,
    by Newton's method with step halving (the log-likelihood is concave)."""
    n = wins.shape[0]
    games = wins + wins.T
    theta = np.zeros(n)

    def loglik(th: np.ndarray) -> float:
        diff = th[:, None] - th[None, :]
        value = -(wins * np.logaddexp(0.0, -diff)).sum()
        return float(value - prior * (np.logaddexp(0.0, -th) + np.logaddexp(0.0, th)).sum() / 2)

    current = loglik(theta)
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(theta[:, None] - theta[None, :])))
        q = 1.0 / (1.0 + np.exp(-theta))
        grad = (wins - games * p).sum(axis=1) + prior * (0.5 - q)
        weight = games * p * p.T
        hessian = weight - np.diag(weight.sum(axis=1) + prior * q * (1 - q))
        # A tiny ridge: without a prior the likelihood ignores a shift of every strength.
        step = np.linalg.lstsq(hessian - 1e-12 * np.eye(n), -grad, rcond=None)[0]
        size = 1.0
        while size > 1e-6:
            trial = theta + size * step
            value = loglik(trial)
            if value >= current - 1e-12:
                break
            size /= 2
        theta, gain, current = trial, value - current, value
        if abs(gain) < 1e-12 and np.abs(grad).max() < 1e-9:
            break
    return theta - theta.mean()


def to_elo(theta: np.ndarray) -> np.ndarray:
    return INIT + theta / ALPHA


def scores(battles: Iterable[Sequence[str]], prior: float = PRIOR) -> dict[str, float]:
    """Each model's score on the Elo scale (mean 1000)."""
    models, wins = _wins(battles)
    if not models:
        return {}
    return dict(zip(models, to_elo(fit_natural(wins, prior)).tolist(), strict=True))


def ratings(battles: Iterable[Sequence[str]], prior: float = PRIOR, rounds: int = ROUNDS,
            seed: int = SEED) -> list[Rating]:
    """Each model's score with its bootstrap 95% interval, best first. The bootstrap draws
    as many battles as there are, with replacement (FastChat's multinomial over the
    distinct outcomes), ``rounds`` times, with a fixed seed."""
    battles = [tuple(battle) for battle in battles]
    models, wins = _wins(battles)
    if not models:
        return []
    best = to_elo(fit_natural(wins, prior))
    index = {model: i for i, model in enumerate(models)}
    kinds: dict[tuple[int, int, str], int] = {}
    for model_a, model_b, winner in battles:
        if model_a != model_b and winner in WINNERS:
            key = (index[model_a], index[model_b], winner)
            kinds[key] = kinds.get(key, 0) + 1
    keys = list(kinds)
    counts = np.array([kinds[key] for key in keys], dtype=float)
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(int(counts.sum()), counts / counts.sum(), size=rounds)
    samples = np.empty((rounds, len(models)))
    for r, draw in enumerate(draws):
        sample = np.zeros_like(wins)
        for (a, b, winner), times in zip(keys, draw, strict=True):
            if winner == "model_a":
                sample[a, b] += times
            elif winner == "model_b":
                sample[b, a] += times
            else:
                sample[a, b] += times / 2
                sample[b, a] += times / 2
        samples[r] = to_elo(fit_natural(sample, prior))
    low, high = np.percentile(samples, [2.5, 97.5], axis=0)
    found = [Rating(model, float(best[i]), float(low[i]), float(high[i])) for i, model in enumerate(models)]
    return sorted(found, key=lambda rating: -rating.score)
