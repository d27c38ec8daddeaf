"""The sidebar's search in a real browser (issue 22): typing filters the saved conversations by
a word inside an answer and by title, shows the match, in English and Chinese, and keeps the
list filtered when a save redraws it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import VIEWPORT, ZH_CONTEXT
from tests.support.page import (
    CHAT,
    SAVED,
    SEARCH_BOX,
    SEARCH_MATCH,
    SEARCH_NOTE,
    SEARCH_SHOWN,
    WAIT_MS,
    ask,
    new_chat,
    open_app,
    open_sidebar,
    search_conversations,
    wait_saved,
)
from tests.support.sfserver import stream

ENGLISH = dict(locale="en-US")
LANGUAGES = {
    "en": (ENGLISH, "1 of 3 conversations", "No conversation contains “okapi”", "Search titles and messages…"),
    "zh": (ZH_CONTEXT, "3 个对话中有 1 个匹配", "没有对话包含“okapi”", "搜索标题和消息…"),
}


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_search_finds_a_word_inside_an_answer_and_by_title(launch_app, browser, lang):
    context_options, one_of_three, none_found, placeholder = LANGUAGES[lang]
    app = launch_app()
    context = browser.new_context(viewport=VIEWPORT, **context_options)
    try:
        page = open_app(context.new_page(), app.url)
        open_sidebar(page)
        box = page.locator(SEARCH_BOX).first
        expect(box).to_have_attribute("placeholder", placeholder)
        app.fake.push(stream("Birds first. The Pelican is a large water bird with a pouch. Then the rest."))
        # (each saved before New chat: a save still on its way would land on the new chat)
        ask(page, "tell me about birds", "Pelican")
        wait_saved(page, 1)
        new_chat(page)
        ask(page, "a question about 长颈鹿 giraffes", "giraffes")
        wait_saved(page, 2)
        new_chat(page)
        ask(page, "something else entirely", "entirely")
        wait_saved(page, 3)
        shown = page.locator(SEARCH_SHOWN)

        # A word inside an answer (any case): only that conversation, the match shown with its words around it.
        search_conversations(page, "pelican")
        expect(shown).to_have_count(1, timeout=WAIT_MS)
        expect(shown).to_contain_text("tell me about birds")
        match = page.locator(SEARCH_MATCH)
        expect(match).to_have_count(1)
        expect(match.locator("mark")).to_have_text("Pelican")
        expect(match).to_contain_text("The Pelican is a large water bird")
        expect(page.locator(SEARCH_NOTE)).to_have_text(one_of_three)

        # By title, and by Chinese text.
        search_conversations(page, "Something ELSE")
        expect(shown).to_have_count(1, timeout=WAIT_MS)
        expect(shown).to_contain_text("something else entirely")
        search_conversations(page, "长颈鹿")
        expect(shown).to_have_count(1, timeout=WAIT_MS)
        expect(page.locator(SEARCH_MATCH).locator("mark")).to_have_text("长颈鹿")

        search_conversations(page, "okapi")
        expect(shown).to_have_count(0, timeout=WAIT_MS)
        expect(page.locator(SEARCH_NOTE)).to_have_text(none_found)

        # The conversation found opens; a save (the list drawn again) keeps the search's filter.
        search_conversations(page, "pelican")
        expect(shown).to_have_count(1, timeout=WAIT_MS)
        shown.first.click()
        expect(page.locator(CHAT)).to_contain_text("Pelican", timeout=WAIT_MS)
        ask(page, "and a follow-up about herons", "herons")
        expect(shown).to_contain_text("just now" if lang == "en" else "刚刚", timeout=WAIT_MS)
        expect(page.locator(SAVED)).to_have_count(3)
        expect(shown).to_have_count(1)
        expect(page.locator(SEARCH_MATCH)).to_have_count(1)

        # Emptied, the search shows them all again.
        search_conversations(page, "")
        expect(shown).to_have_count(3, timeout=WAIT_MS)
        expect(page.locator(SEARCH_MATCH)).to_have_count(0)
        expect(page.locator(SEARCH_NOTE)).to_have_count(0)
    finally:
        context.close()
