"""The page's loading statuses are kept to the components that show one
(sfui/ui/loading_status.py): Gradio's client listed every input of every event that ended,
and revisited each of them (a tree search and a copy of its whole value) on every later
status message and frame of any event."""

from __future__ import annotations

import pytest

from sfui.ui.loading_status import head_script, status_chunk
from tests.support import page as app_page

# Gradio's own LoadingStatus, from the chunk the page's bundle loaded, worked as the client
# works it when an event ends: which components keep a status.
ENDED_EVENT_JS = """async (chunk) => {
  const module = await import(new URL('assets/' + chunk, document.baseURI).href);
  const LoadingStatus = Object.values(module).find(
    (value) => typeof value === 'function' && value.prototype && 'resolve_args' in value.prototype);
  const statuses = new LoadingStatus();
  // Event 7 shows its progress on component 1; its inputs are 1 (the chat, say), 2 and 3.
  statuses.register(7, [1], [1, 2, 3], 'minimal');
  statuses.update({fn_index: 7, status: 'pending', stream_state: null});
  statuses.update({fn_index: 7, status: 'complete', stream_state: 'closed'});
  return {patched: LoadingStatus.prototype.sfuiInputsDropped === true,
          kept: Object.keys(statuses.current).map(Number).sort(),
          status: statuses.current[1].status};
}"""


@pytest.fixture(scope="module")
def app(launch_module_app):
    return launch_module_app()


def test_the_page_keeps_statuses_only_where_progress_shows(app, page):
    app_page.open_app(page, app.url)
    chunk = status_chunk()
    assert chunk is not None, "Gradio's LoadingStatus chunk is not where 6.31 puts it"
    # (The page's answer is real: a Send ends, and the next one is not refused as if it streamed.)
    assert app_page.ask(page, "First question") == "Echo: First question"
    ended = page.evaluate(ENDED_EVENT_JS, chunk)
    assert ended == {"patched": True, "kept": [1], "status": "complete"}
    assert app_page.ask(page, "Second question") == "Echo: Second question"
    # The chat's own progress (Send's, on an input of Send) still ends.
    page.wait_for_function("() => { const w = document.querySelector('#chatbot .wrap.minimal');"
                           " return !w || w.classList.contains('hide'); }", timeout=app_page.WAIT_MS)


def test_the_script_loads_the_chunk_the_page_loads():
    assert '"assets/statustracker-x.js"' in head_script("statustracker-x.js")
    assert f'"assets/{status_chunk()}"' in head_script()
