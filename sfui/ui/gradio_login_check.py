"""Gradio's login check, on the event loop.

Every queue request (a visitor's join, the event stream it then opens, an API call)
depends on Gradio's ``login_check``, a plain function, which FastAPI runs on a worker
thread: a hop to a thread and back for each request, and a worker thread made for each
one at once in a burst. With hundreds of visitors pressing Enter together, those hops
held up the joins and streams behind them (bench/visitors.py: 200 visitors on 2 busy
cores, the slowest first token about 1-2 s sooner without them). An app without a Gradio
login lets every request through, so sfui checks the same thing without leaving the
loop. An app with a login (``auth`` or ``auth_dependency``) keeps Gradio's check.
"""

from __future__ import annotations

from typing import Any


def login_check_on_the_loop(app: Any) -> bool:
    """Make ``app``'s login check (one function, shared by every route that has it) run on
    the event loop; True if it was replaced. Call it before the app serves (the lifespan)."""
    if app.auth is not None or app.auth_dependency is not None:
        return False
    checks = {dependency.call for route in app.routes
              for dependency in getattr(getattr(route, "dependant", None), "dependencies", ())
              if getattr(dependency.call, "__name__", "") == "login_check"}
    for check in checks:
        app.dependency_overrides[check] = _no_login
    return bool(checks)


async def _no_login() -> None:
    """Gradio's login check of an app without a login: every request passes."""
