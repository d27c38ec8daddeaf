"""Idle sessions let go (SFUI_SESSION_TTL), done to Gradio's own state; and what a page
whose session was let go is told when it comes back.

Gradio 6.31 keeps each session in ``app.state_holder``: ``session_data`` (a SessionState:
the tab's gr.State values and a copy of every component's config) and ``time_last_used``
(set whenever an event of the session runs). It lets a session go only past
``state_session_capacity``; a closed tab's gr.State values go after an hour, its
SessionState never. :class:`SessionReaper` runs on the server's event loop (as Gradio's own
sweep of expired state does, so the two never race), every ``sweep_every(ttl)`` seconds,
and lets go of the sessions idle past the TTL with no event running: Gradio's state, and
sfui's own per-session records (the browser id, a finished answer not yet saved).
sfui/sessions.py decides which, and remembers the page sessions let go.

Each session is also made smaller: Gradio copies every component's config into each new
session for deep links, which sfui does not offer; :class:`LeanSessionState` builds that copy
only if it is read.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import datetime
import logging
import os
from collections.abc import AsyncIterator
from typing import Any

import gradio as gr
from gradio.state_holder import SessionState, StateHolder

from ..i18n import t
from ..sessions import sweep_every
from .common import AppContext

log = logging.getLogger("sfui.sessions")


class LeanSessionState(SessionState):
    """Gradio's SessionState without its copy of every component's config, which it builds for
    each new session (``config_values``: about 300 KB per session here, the largest part of a
    session's memory: bench/profile_memory.py) and keeps up to date with every event's inputs and
    outputs, only to serve deep links, which sfui does not offer. Here it is built only if
    something reads it (from the components as they are then: the inputs an event received are
    not written into it); until then an update changes the session's components and State
    values exactly as SessionState.__setitem__ does."""

    def __init__(self, blocks: Any) -> None:  # SessionState.__init__ (gradio 6.31), less config_values
        self.blocks_config = copy.copy(blocks.default_config)
        self._root_blocks = blocks
        self._config_values: dict | None = None
        self.state_data: dict[int, Any] = {}
        self._state_ttl: dict = {}
        self.is_closed = False
        self.STATE_TTL_WHEN_CLOSED = 1 if os.getenv("GRADIO_IS_E2E_TEST", None) else 3600

    @property
    def config_values(self) -> dict:  # type: ignore[override]
        if self._config_values is None:
            self._config_values = {key: self.blocks_config.config_for_block(key, [], block)
                                   for key, block in self.blocks_config.blocks.items()
                                   if key in self._root_blocks.blocks}
        return self._config_values

    @config_values.setter
    def config_values(self, value: dict) -> None:
        self._config_values = value

    def __setitem__(self, key: int, value: Any) -> None:
        if self._config_values is not None:
            super().__setitem__(key, value)
            return
        block = self.blocks_config.blocks.get(key)
        if isinstance(block, gr.State):
            self._state_ttl[key] = (block.time_to_live, datetime.datetime.now())
            self.state_data[key] = value
        else:
            self.blocks_config.blocks[key] = value

    def _update_config(self, key: int) -> None:
        if self._config_values is not None:
            super()._update_config(key)

    def _update_value_in_config(self, key: int, value: Any) -> None:
        if self._config_values is not None:
            super()._update_value_in_config(key, value)


class LeanStateHolder(StateHolder):
    """Gradio's StateHolder whose new sessions are LeanSessionStates."""

    def __getitem__(self, session_id: str) -> SessionState:
        if session_id not in self.session_data:
            self.session_data[session_id] = LeanSessionState(self.blocks)
        return super().__getitem__(session_id)


class SessionReaper:
    """Lets go of ``ctx``'s idle sessions in a running Gradio app (see the module's docstring)."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def busy(self, app: Any, session: str) -> bool:
        """An answer streaming (the chat's or Compare's), or an event waiting in Gradio's queue."""
        runs = self.ctx.runs
        if runs.busy(session) or runs.busy(f"{session}:compare"):
            return True
        queue = getattr(app.get_blocks(), "_queue", None)
        return bool(getattr(queue, "pending_event_ids_session", {}).get(session))

    def sweep(self, app: Any) -> int:
        """Let go of the idle sessions now; how many."""
        holder = app.state_holder
        last_used = {session: used.timestamp() for session, used in list(holder.time_last_used.items())}
        idle = self.ctx.sessions.idle(last_used, lambda session: self.busy(app, session))
        pages = []
        for session in idle:
            with holder.lock:
                if session in holder.session_data:
                    holder.delete_state(session)  # the gr.State values, through their delete callbacks
                holder.session_data.pop(session, None)
                holder.time_last_used.pop(session, None)
            self.ctx.answers.take(session)
            if self.ctx.browsers.forget(session):
                pages.append(session)  # a page registered it on load: it may come back
        self.ctx.sessions.let_go(pages)
        return len(idle)

    async def run(self, app: Any) -> None:
        every = sweep_every(self.ctx.sessions.ttl)
        while True:
            await asyncio.sleep(every)
            try:
                if self.sweep(app):
                    log.debug("%d idle sessions let go", len(self.ctx.sessions))
            except Exception:  # never let one bad sweep end the sweeping
                log.exception("letting go of idle sessions failed")

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Any) -> AsyncIterator[None]:
        """The app's lifespan (``launch(app_kwargs={"lifespan": ...})``): lean sessions from the
        start, and sweeps while it serves."""
        if type(app.state_holder) is StateHolder:
            app.state_holder.__class__ = LeanStateHolder  # before any session: each one is lean
        task = asyncio.create_task(self.run(app)) if self.ctx.sessions.ttl > 0 else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task


def came_back(ctx: AppContext, session: str | None, lang: str) -> bool:
    """Whether ``session`` is a page's whose session was let go while idle: if so, the visitor
    is told (once) what that means, and the step sends nothing (their pasted key is gone: the
    server's key would pay, or nothing would)."""
    if not ctx.sessions.came_back(session):
        return False
    # Still a page (its browser id is read again when it reloads): told again if let go again.
    ctx.browsers.register(str(session), "")
    minutes = max(1, round(ctx.sessions.ttl / 60))
    gr.Warning(t(lang, "session_expired", minutes=minutes), duration=None)
    return True
