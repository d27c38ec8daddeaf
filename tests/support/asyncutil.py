"""Run a coroutine to completion from a sync test, whatever loop is around.

The session-wide Playwright browser (sync API) keeps an asyncio loop running
in the main thread once any browser test has run, and asyncio.run() refuses
to start inside it. A fresh thread has no loop, so the coroutine gets its own.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any


def run_async(coro: Coroutine[Any, Any, Any], timeout: float = 120.0) -> Any:
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(coro)
        except BaseException as exc:  # re-raised in the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="test-asyncio", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError(f"coroutine still running after {timeout} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
