"""The sidebar's search (``conv-search``): typing filters the list of saved conversations
by title and by message text, and shows each match in a line under its conversation.

The conversations live in the browser (a gr.BrowserState), and so does the search: a
keystroke sends nothing to the server, nor the store with it. After every change of
the store the page hands it to the search (:data:`SEARCH_JS`), which reads it only when
a search is typed: then each conversation's title and text (every message's text parts;
pictures are left out) are lowercased once, and each keystroke is a substring search
per word, every word in the title or the text. The list itself stays Gradio's Radio
(``#conversations``, one ``<label>`` per conversation, its ``<input>``'s value the
conversation's id): the search hides the labels that do not match (a data attribute
its CSS reads, which Gradio's own updates leave alone) and adds the match under the
conversation's title, built as text nodes (a message's text is never parsed as HTML). When Gradio redraws the list
(a save, a rename) the search applies itself again, before the page is painted.
``bench/search.py`` measures a keystroke with 200 conversations.
"""

from __future__ import annotations

import gradio as gr

from .common import label
from .page_script import texts_js

SNIPPET_CONTEXT = 36  # characters shown before the match (twice as many after it)

SEARCH_JS = """(store) => {
  const search = window.sfuiSearch || (window.sfuiSearch = (() => {
    const TEXTS = %(texts)s;
    let source = null, entries = null, query = '';
    const fill = (text, values) => text.replace(/\\{(\\w+)\\}/g, (all, name) => name in values ? values[name] : all);
    const textOf = (content) => typeof content === 'string' ? content : !Array.isArray(content) ? ''
      : content.map((part) => part && part.type === 'text' ? String(part.text || '') : '').join('');
    const build = () => {
      entries = new Map();
      const conversations = source && Array.isArray(source.conversations) ? source.conversations : [];
      for (const c of conversations) {
        if (!c || typeof c.id !== 'string') continue;
        const title = String(c.title || '');
        const body = (Array.isArray(c.messages) ? c.messages : []).map((m) => textOf(m && m.content)).join('\\n');
        entries.set(c.id, {title, body, titleLower: title.toLowerCase(), bodyLower: body.toLowerCase()});
      }
    };
    // Every word in the title or the text; the match shown is the first word's, in the text
    // when it is there (the title is already in the list).
    const find = (entry, words) => {
      let shown = null;
      for (const word of words) {
        const inBody = entry.bodyLower.indexOf(word), inTitle = entry.titleLower.indexOf(word);
        if (inBody < 0 && inTitle < 0) return null;
        if (!shown) shown = inBody >= 0 ? {text: entry.body, lower: entry.bodyLower, at: inBody, length: word.length}
          : {text: entry.title, lower: entry.titleLower, at: inTitle, length: word.length};
      }
      return shown;
    };
    const snippet = (hit) => {
      // (lowercasing keeps the length of nearly every text; where it did not, show the lowercase)
      const text = hit.lower.length === hit.text.length ? hit.text : hit.lower;
      const start = Math.max(0, hit.at - %(context)d);
      const end = Math.min(text.length, hit.at + hit.length + 2 * %(context)d);
      const flat = (part) => part.replace(/\\s+/g, ' ');
      const line = document.createElement('span');
      line.className = 'conv-snippet';
      const mark = document.createElement('mark');
      mark.textContent = text.slice(hit.at, hit.at + hit.length);
      line.append((start > 0 ? '…' : '') + flat(text.slice(start, hit.at)), mark,
                  flat(text.slice(hit.at + hit.length, end)) + (end < text.length ? '…' : ''));
      return line;
    };
    const note = (list, text) => {
      let line = document.getElementById('conv-search-note');
      if (!text) { if (line) line.remove(); return; }
      if (!line) {
        line = document.createElement('div');
        line.id = 'conv-search-note';
        line.setAttribute('role', 'status');
      }
      if (line.parentNode !== list) list.append(line);
      line.textContent = text;
    };
    const apply = () => {
      const list = document.getElementById('conversations');
      if (!list) return;
      const words = query.toLowerCase().split(/\\s+/).filter(Boolean);
      if (!words.length && !list.querySelector('[data-search], #conv-search-note')) return;
      const started = performance.now();
      watcher.disconnect();
      try {
        for (const old of list.querySelectorAll('.conv-snippet')) old.remove();
        if (words.length && entries === null) build();
        let shown = 0, total = 0;
        for (const row of list.querySelectorAll('label')) {
          total += 1;
          if (!words.length) { row.removeAttribute('data-search'); continue; }
          const input = row.querySelector('input');
          const entry = input ? entries.get(input.value) : undefined;
          const hit = entry ? find(entry, words) : null;
          row.setAttribute('data-search', hit ? 'hit' : 'miss');
          if (hit) { shown += 1; (row.querySelector('span') || row).append(snippet(hit)); }
        }
        note(list, !words.length ? '' : shown ? fill(TEXTS.search_found, {shown, total})
          : fill(TEXTS.search_none, {query: query.trim()}));
      } finally {
        watcher.observe(document.getElementById('sidebar') || document.body,
                        {childList: true, subtree: true, characterData: true});
      }
      window.sfuiSearch.took = performance.now() - started;  // the filter's own time, for bench/search.py
    };
    // Gradio redrew the list (a save, a rename, a delete): filter it again (before it is painted).
    const watcher = new MutationObserver(() => apply());
    document.addEventListener('input', (event) => {
      const box = event.target;
      if (!box || !box.closest || !box.closest('#conv-search')) return;
      query = box.value || '';
      apply();
    }, true);
    return {
      index(store) { source = store; entries = null; apply(); },
      apply,
    };
  })());
  search.index(store);
}"""


def search_js() -> str:
    return SEARCH_JS % {"texts": texts_js("search_found", "search_none"), "context": SNIPPET_CONTEXT}


CSS = """
#conversations label { content-visibility: auto; contain-intrinsic-size: auto 44px; }
#conversations label[data-search="miss"] { display: none !important; }
#conversations .conv-snippet { display: block; margin-top: 2px; font-size: 0.85em; opacity: 0.85;
  overflow-wrap: anywhere; }
#conversations .conv-snippet mark { background: var(--color-accent-soft); color: inherit; border-radius: 2px; }
#conv-search-note { font-size: 0.85em; opacity: 0.85; padding: 4px 2px; }
"""


def render_search() -> gr.Textbox:
    return gr.Textbox(label=label("label_conv_search"), show_label=False, lines=1, max_lines=1, container=False,
                      placeholder=label("label_conv_search_placeholder"), elem_id="conv-search")


def wire_search(store: gr.BrowserState) -> None:
    """The search reads the store after each of its changes (and once the page has read it)."""
    store.change(None, [store], None, js=search_js(), queue=False, api_visibility="private", show_progress="hidden")
