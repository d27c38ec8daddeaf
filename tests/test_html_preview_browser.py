"""Page previews in a real browser (issue 22): an ```html block in an answer gets a Preview
that runs the page, scripts and all, in a frame that cannot read the page's storage or
cookies, cannot reach the page's DOM, and cannot reach a server (fetch, pictures, a link or
a script navigating the frame), in English and Chinese."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import VIEWPORT, ZH_CONTEXT
from tests.support.page import CHAT, PREVIEW_BUTTONS, PREVIEW_FRAME, WAIT_MS, ask, open_app
from tests.support.sfserver import stream

SECRET = "S3CRET-of-the-page"
COOKIE = "C00KIE-of-the-site"

# Each attempt writes name=value, or name=blocked when it throws or fails; then every result
# is shown in #out. A link and a button try to take the frame to another address.
PAGE = """<p id="out">waiting</p>
<a id="away" href="{fake}/leak-link">away</a> <button id="go" onclick="location.href='{fake}/leak-script'">go</button>
<script>
const results = [];
const attempt = (name, read) => {{
  try {{ results.push(name + '=' + read()); }} catch (error) {{ results.push(name + '=blocked'); }}
}};
attempt('storage', () => localStorage.getItem('sfui-secret'));
attempt('cookie', () => document.cookie);
attempt('parent', () => window.parent.document.body.innerText.length);
attempt('top', () => window.top.location.href);
const picture = new Promise((done) => {{
  const image = new Image();
  image.onload = () => done('image=reached');
  image.onerror = () => done('image=blocked');
  image.src = '{fake}/leak-image';
}});
Promise.all([
  fetch('{fake}/leak-fetch').then(() => 'fetch=reached', () => 'fetch=blocked'),
  fetch('{app}config', {{credentials: 'include'}}).then(() => 'app=reached', () => 'app=blocked'),
  picture,
]).then((more) => {{ document.getElementById('out').textContent = 'ran: ' + results.concat(more).join(' '); }});
</script>"""
ALL_BLOCKED = "ran: storage=blocked cookie=blocked parent=blocked top=blocked fetch=blocked app=blocked image=blocked"
BUTTONS = {"en": ("▶ Preview", "Hide preview"), "zh": ("▶ 预览", "收起预览")}


def leaks(fake) -> list[str]:
    return [r.path for r in fake.received if "leak" in r.path]


@pytest.mark.parametrize("lang", sorted(BUTTONS))
def test_a_previews_script_runs_but_cannot_reach_the_page_its_storage_its_cookies_or_a_server(
        launch_app, browser, lang):
    show, hide = BUTTONS[lang]
    app = launch_app()
    fake_origin = app.fake.base_url.rsplit("/v1", 1)[0]
    context = browser.new_context(viewport=VIEWPORT, **(ZH_CONTEXT if lang == "zh" else {"locale": "en-US"}))
    try:
        context.add_cookies([{"name": "session", "value": COOKIE, "url": app.url}])
        page = open_app(context.new_page(), app.url)
        page.evaluate("(secret) => localStorage.setItem('sfui-secret', secret)", SECRET)
        answer = f"A page:\n\n```html\n{PAGE.format(fake=fake_origin, app=app.url)}\n```\n\nTHE-END"
        app.fake.push(stream(answer))
        ask(page, "write me a page", "THE-END")

        button = page.locator("#html-preview-btn")
        expect(page.locator(PREVIEW_BUTTONS)).to_have_count(1, timeout=WAIT_MS)
        expect(button).to_have_text(show)
        button.click()
        expect(button).to_have_text(hide)
        frame_element = page.locator(PREVIEW_FRAME)
        frame = page.frame_locator(PREVIEW_FRAME)
        # The model's script ran (in the frame), and everything it tried was refused.
        expect(frame.locator("#out")).to_have_text(ALL_BLOCKED, timeout=WAIT_MS)
        expect(frame_element).to_have_attribute("sandbox", "allow-scripts")
        assert leaks(app.fake) == []
        # The page itself is untouched: its storage, its cookie and its chat are still there.
        assert page.evaluate("() => localStorage.getItem('sfui-secret')") == SECRET
        expect(page.locator(CHAT)).to_contain_text("THE-END")

        # A link, then a script, taking the frame to another address: stopped before any request.
        for control in ("#away", "#go"):
            with page.expect_event("framenavigated", predicate=lambda f: f.parent_frame is not None
                                   and f.url != "about:srcdoc", timeout=WAIT_MS) as navigated:
                frame.locator(control).click()
            assert "leak" not in navigated.value.url, navigated.value.url
            assert leaks(app.fake) == []
            button.click()  # hide the stopped frame, and show the page afresh
            expect(frame_element).to_have_count(0)
            button.click()
            expect(frame.locator("#out")).to_have_text(ALL_BLOCKED, timeout=WAIT_MS)
        assert leaks(app.fake) == []
    finally:
        context.close()
