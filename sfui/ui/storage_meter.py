"""The sidebar's storage line, from what the browser can really still store for this site.

After every change of the saved conversations (and once the page has read them) the
page measures the site's localStorage (:data:`MEASURE_JS`): what every entry holds,
other sites' scripts' and Gradio's included, and how much one more entry could hold,
found by probing with a throwaway entry. The server turns that into the line, in the
visitor's language (sfui/storage_room.py), and keeps the measure for the next save:
a save that would not fit is not sent to the browser, and is said at once.

The measure can go stale (another tab, or another script of the site, fills the
storage meanwhile), so the page also watches the write itself: Gradio's BrowserState
writes the conversations with ``localStorage.setItem`` and only logs a refusal to the
console; :data:`MEASURE_JS` wraps ``setItem`` so that a refused write of the
conversations is noted, and the measure that follows every write carries it to the
server, which says so. The chat on screen is never touched by either.
"""

from __future__ import annotations

import json
from typing import Any

import gradio as gr

from ..i18n import t
from ..storage_room import QUOTA_CHARS, Room, not_saved_message, storage_line
from .common import AFTER_EACH, lang_of

PROBE_KEY = "sfui-storage-probe"
PROBE_STEP = 1_024  # the probe's precision, in characters
# Below this much room the page probes on every measure (a probe then writes at most this
# much); above it, the site's capacity found by the first probe is reused.
PROBE_BELOW = 1_048_576
PROBE_CEILING = 1 << 26  # no browser gives a site more localStorage than this

# The page's side. Installs the meter (once: the watch on setItem, the probe, the measure),
# then measures: {ours, others, free, failed} (sfui.storage_room.Room), or null when the site
# may not use localStorage. ``window.sfuiStorageMeter.measure()`` is the measure itself
# (bench/search.py times it).
MEASURE_JS = """async () => {
  const KEY = %(key)s, PROBE = %(probe)s;
  const meter = window.sfuiStorageMeter || (window.sfuiStorageMeter = (() => {
    const write = Storage.prototype.setItem;
    const state = {failed: false, capacity: null};
    Storage.prototype.setItem = function (key, value) {
      const ours = key === KEY && this === window.localStorage;
      try {
        write.call(this, key, value);
        if (ours) state.failed = false;
      } catch (error) {
        if (ours) { state.failed = true; state.capacity = null; }
        throw error;
      }
    };
    const fits = (size) => {
      try { write.call(localStorage, PROBE, 'x'.repeat(size)); return true; } catch (error) { return false; }
    };
    // The largest entry that still fits, to PROBE_STEP: from a guess, up or down by growing
    // steps, then halving. A refused write costs nothing, so with a good guess it is one write.
    const probe = (guess) => {
      let low = 0, high = 0, step = %(step)d;
      if (fits(guess)) {
        low = guess;
        while (low + step <= %(ceiling)d && fits(low + step)) { low += step; step *= 4; }
        high = low + step;
      } else {
        high = guess;
        for (;;) {
          const next = Math.max(high - step, 0);
          if (next === 0 || fits(next)) { low = next; break; }
          high = next; step *= 4;
        }
      }
      while (high - low > %(step)d) {
        const middle = Math.floor((low + high) / 2);
        if (fits(middle)) low = middle; else high = middle;
      }
      localStorage.removeItem(PROBE);
      return low + PROBE.length;
    };
    state.measure = () => {
      try {
        localStorage.removeItem(PROBE);
        let ours = 0, others = 0;
        for (let i = 0; i < localStorage.length; i++) {
          const key = localStorage.key(i);
          const size = (localStorage.getItem(key) || '').length;
          if (key === KEY) { ours = size; others += key.length; } else { others += key.length + size; }
        }
        const used = ours + others;
        let free = state.capacity === null ? -1 : state.capacity - used;
        if (free < %(probe_below)d) {
          free = probe(Math.max((state.capacity || %(quota)d) - used - PROBE.length, 0));
          state.capacity = used + free;
        }
        const measure = {ours, others, free, failed: state.failed};
        state.failed = false;
        return measure;
      } catch (error) {
        return null;
      }
    };
    return state;
  })());
  // The first probe writes as much as the site has left (some 10 MB): not while the page is busy loading.
  if (meter.capacity === null) await new Promise((done) => (window.requestIdleCallback || setTimeout)(done));
  return meter.measure();
}"""


def measure_js(storage_key: str) -> str:
    return MEASURE_JS % {"key": json.dumps(storage_key), "probe": json.dumps(PROBE_KEY), "step": PROBE_STEP,
                         "ceiling": PROBE_CEILING, "probe_below": PROBE_BELOW, "quota": QUOTA_CHARS}


def render_storage_meter() -> gr.JSON:
    """The page's last measure, on its way to the server (and kept for the next save)."""
    return gr.JSON(None, visible=False, elem_id="storage-measure")


def room_of(measure: Any, store: Any) -> Room:
    """The page's measure, or (none yet, or none possible) the store alone in the quota."""
    return Room.from_page(measure) or Room.modelled(store)


def storage_status(request: gr.Request, measure: Any):
    """The storage line after a measure; a refused write said at once. Output: the line."""
    lang = lang_of(request)
    room = Room.from_page(measure)
    if room is None:  # the page may not touch localStorage (nor could Gradio save there)
        return t(lang, "storage_unavailable")
    if room.failed:
        gr.Warning(not_saved_message(room, lang), duration=30)
    return storage_line(room, lang)


def wire_storage_meter(store: gr.BrowserState, measure: gr.JSON, line: gr.Markdown, storage_key: str) -> None:
    """Measure after every change of ``store`` (its write has happened by then), then the line."""
    private = dict(api_visibility="private", show_progress="hidden")
    # Queued: a toast (gr.Warning) reaches the page only from a queued step.
    store.change(None, None, [measure], js=measure_js(storage_key), queue=False, **private).then(
        storage_status, [measure], [line], **private, **AFTER_EACH)
