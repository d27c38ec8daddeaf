"""The model dropdown's list: live from ``/models`` once a key is known,
the curated list before that or when the call fails.

Cached per (base URL, key) for a few minutes so page loads do not each cost a
round trip; the cache keys on a hash of the key, never the key itself.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass

from .api import errors
from .api.client import SiliconFlowClient
from .catalog import DEFAULT_MODELS, sort_models


@dataclass(frozen=True)
class ModelList:
    ids: tuple[str, ...]
    live: bool
    problem: errors.SiliconFlowError | None = None


class ModelDirectory:
    def __init__(self, ttl: float = 600.0) -> None:
        self.ttl = ttl
        self._cache: dict[tuple[str, str], tuple[float, ModelList]] = {}
        self._lock = threading.Lock()

    def get(self, client: SiliconFlowClient, api_key: str | None) -> ModelList:
        if not api_key:
            return ModelList(DEFAULT_MODELS, live=False)
        fingerprint = hashlib.sha256(api_key.encode()).hexdigest()
        cache_key = (client.base_url, fingerprint)
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(cache_key)
        if hit and now - hit[0] < self.ttl:
            return hit[1]
        try:
            ids = client.list_models("chat")
        except errors.SiliconFlowError as exc:
            # Not cached: a bad key or a network blip should not stick for ten minutes.
            return ModelList(DEFAULT_MODELS, live=False, problem=exc)
        result = ModelList(tuple(sort_models(ids)) or DEFAULT_MODELS, live=bool(ids))
        with self._lock:
            self._cache[cache_key] = (now, result)
        return result
