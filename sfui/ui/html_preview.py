"""Page previews: an ```html block in an answer gets a Preview button
(``html-preview-btn``) that shows the page in a sandboxed frame under the block.

The chat draws the answer's Markdown (sanitized: no script of the model's ever runs in
the page itself); this script, in the page's head, adds the buttons once a block is
drawn and builds the frame on a click, from the block's text. The frame is where the
model's page may run its scripts, and all it can reach:

- ``sandbox="allow-scripts"`` without ``allow-same-origin``: the page in it has an
  opaque origin of its own, so this page's DOM (``window.parent``), its localStorage
  (the saved conversations) and its cookies are another origin's and throw; no
  forms, pop-ups, dialogs, downloads or navigation of this page (none of the other
  ``allow-*`` flags).
- ``srcdoc`` whose first element is a Content-Security-Policy: nothing loads from any
  address (no fetch, XHR, WebSocket, image, style, font or frame from the network; the
  page's own inline scripts and styles, and data:/blob: pictures, only), so nothing
  reaches this server or another.
- ``credentialless``: were it to reach anything, no cookie or storage of the site
  would go with it.
- The frame navigating itself (a link, ``location = ...``) is the one way out the
  frame's own flags leave; from the first preview on, this page's own policy lets
  its frames load their ``srcdoc`` only (``frame-src 'none'``), so such a navigation
  is stopped before any request is sent. It is set at the first preview, so a page
  that never shows one keeps its policy as it was (sfui has no other frames).

There can be several blocks, and so several buttons: each has the class
``html-preview-btn``; the latest one also has the id (ids are one per page).
"""

from __future__ import annotations

import json

from .page_script import texts_js

# What the previewed page may load: its own inline scripts and styles, pictures and fonts
# written into it; nothing from any address.
PREVIEW_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
               "img-src data: blob:; media-src data: blob:; font-src data:; connect-src 'none'; "
               "frame-src 'none'; worker-src 'none'; form-action 'none'; base-uri 'none'")
# This page's own policy from the first preview on: its frames load their srcdoc, nothing else.
PAGE_CSP = "frame-src 'none'"

_SCRIPT = """(() => {
  if (window.sfuiPreview) return;
  const TEXTS = %(texts)s;
  const BLOCKS = '#chatbot [data-testid="bot"] pre > code.language-html';
  let guarded = false;
  const guard = () => {
    if (guarded) return;
    guarded = true;
    const policy = document.createElement('meta');
    policy.httpEquiv = 'Content-Security-Policy';
    policy.content = %(page_csp)s;
    document.head.append(policy);
  };
  // The policy first, before anything of the model's (a doctype of its own is dropped:
  // after the policy it would be misplaced).
  const documentFor = (code) => '<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="'
    + %(preview_csp)s + '">' + code.replace(/^\\s*<!doctype[^>]*>/i, '');
  const toggle = (button) => {
    const holder = button.parentElement;
    const shown = holder.querySelector('iframe');
    if (shown) {
      shown.remove();
      button.textContent = TEXTS.preview_show;
      button.setAttribute('aria-expanded', 'false');
      return;
    }
    guard();
    const frame = document.createElement('iframe');
    frame.setAttribute('sandbox', 'allow-scripts');  // attributes first: they hold from the first load
    frame.setAttribute('credentialless', '');
    frame.setAttribute('referrerpolicy', 'no-referrer');
    frame.className = 'html-preview-frame';
    frame.title = TEXTS.preview_frame_title;
    frame.srcdoc = documentFor(holder.sfuiCode ? holder.sfuiCode.textContent : '');
    holder.append(frame);
    button.textContent = TEXTS.preview_hide;
    button.setAttribute('aria-expanded', 'true');
  };
  const blockOf = (code) => code.closest('.code_wrap') || code.parentElement;
  const addButtons = () => {
    // The chat draws an answer's Markdown anew while it streams and leaves what it did not
    // draw itself: a button whose block has gone goes too.
    for (const holder of document.querySelectorAll('#chatbot .html-preview')) {
      const code = holder.sfuiCode;
      if (!code || !code.isConnected || blockOf(code) !== holder.previousElementSibling) holder.remove();
    }
    let latest = null;
    for (const code of document.querySelectorAll(BLOCKS)) {
      const block = blockOf(code);
      let holder = block.nextElementSibling;
      if (!holder || !holder.classList.contains('html-preview')) {
        holder = document.createElement('div');
        holder.className = 'html-preview';
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'html-preview-btn';
        button.textContent = TEXTS.preview_show;
        button.setAttribute('aria-expanded', 'false');
        holder.append(button);
        block.after(holder);
      }
      holder.sfuiCode = code;
      latest = holder.firstElementChild;
    }
    for (const old of document.querySelectorAll('#html-preview-btn')) if (old !== latest) old.removeAttribute('id');
    if (latest && latest.id !== 'html-preview-btn') latest.id = 'html-preview-btn';
  };
  document.addEventListener('click', (event) => {
    const button = event.target && event.target.closest ? event.target.closest('.html-preview-btn') : null;
    if (!button) return;
    event.preventDefault();
    event.stopPropagation();
    toggle(button);
  }, true);
  // Blocks appear as answers are drawn (and are drawn again while one streams): once per frame.
  let pending = false;
  new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; addButtons(); });
  }).observe(document.documentElement, {childList: true, subtree: true});
  window.sfuiPreview = {addButtons};
})();"""


def head_script() -> str:
    script = _SCRIPT % {"texts": texts_js("preview_show", "preview_hide", "preview_frame_title"),
                        "page_csp": json.dumps(PAGE_CSP), "preview_csp": json.dumps(PREVIEW_CSP)}
    return f"<script>{script}</script>"


CSS = """
#chatbot .html-preview { margin: 2px 0 10px; }
#chatbot .html-preview-btn { font-size: 0.85em; padding: 2px 10px; cursor: pointer;
  border: 1px solid var(--border-color-primary); border-radius: var(--radius-sm);
  background: var(--button-secondary-background-fill); color: var(--button-secondary-text-color); }
#chatbot .html-preview-btn:hover { background: var(--button-secondary-background-fill-hover); }
#chatbot .html-preview-frame { display: block; width: 100%; height: 360px; margin-top: 6px; overflow: auto;
  resize: vertical; border: 1px solid var(--border-color-primary); border-radius: var(--radius-sm);
  background: white; }
"""
