"""sfui.chat_request: one request per chat turn, and the decision what happens to a
message (refuse, ignore, hold back for a model that cannot see pictures, ask). Pure."""

from __future__ import annotations

import pytest

from sfui.chat import MAX_MESSAGE_CHARS
from sfui.chat_request import ASK, IGNORE, NOT_VISION, REFUSE, ChatRequest, decide, paying_key, refusal
from sfui.i18n import t
from sfui.params import Controls

VISION = "Qwen/Qwen2.5-VL-72B-Instruct"
TEXT_ONLY = "Qwen/Qwen3-8B"


def request(text: str | None = "hi", pictures: tuple = (), model: str = TEXT_ONLY, **controls) -> ChatRequest:
    return ChatRequest.from_page(model, "", Controls(**controls), None, default_model=TEXT_ONLY, text=text,
                                 pictures=pictures)


def test_the_page_inputs_become_one_request():
    built = ChatRequest.from_page("  deepseek-ai/DeepSeek-V3 ", "Be brief.", Controls(temperature=0.3), "sk-mine",
                                  default_model=TEXT_ONLY, text="hi", pictures=["a.png"])
    assert (built.model, built.system_prompt, built.text, built.pictures) == (
        "deepseek-ai/DeepSeek-V3", "Be brief.", "hi", ("a.png",))
    assert built.params()["temperature"] == 0.3
    assert ChatRequest.from_page("", None, Controls(), "", default_model=TEXT_ONLY).model == TEXT_ONLY
    assert ChatRequest.from_page("", None, Controls(), "", default_model=TEXT_ONLY).visitor_key is None
    assert "sk-mine" not in repr(built)  # a request printed in a log never shows the key


def test_the_request_builds_the_api_messages_with_its_system_prompt_and_detail():
    built = ChatRequest(TEXT_ONLY, "Be brief.", Controls(detail="low"))
    history = [{"role": "user", "content": [{"type": "text", "text": "hi"}]}]
    assert built.messages(history) == [{"role": "system", "content": "Be brief."},
                                       {"role": "user", "content": "hi"}]


def test_the_visitors_key_pays_before_the_servers():
    assert paying_key("sk-visitor", "sk-server") == "sk-visitor"
    assert paying_key(None, "sk-server") == "sk-server"
    assert paying_key("", "") is None


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_verdict(lang):
    assert decide(request(), lang, key_set=True).verdict == ASK
    assert decide(request("   "), lang, key_set=True).verdict == IGNORE
    assert decide(request(None), lang, key_set=True).verdict == IGNORE
    assert decide(request("", pictures=("p.png",)), lang, key_set=True).verdict == NOT_VISION
    assert decide(request("", pictures=("p.png",)), lang, key_set=True, anyway=True).verdict == ASK
    assert decide(request("look", pictures=("p.png",), model=VISION), lang, key_set=True).verdict == ASK
    no_key = decide(request(), lang, key_set=False)
    assert (no_key.verdict, no_key.reason) == (REFUSE, t(lang, "no_key_toast"))
    busy = decide(request(), lang, key_set=True, busy=True)
    assert (busy.verdict, busy.reason) == (REFUSE, t(lang, "busy_toast"))


def test_a_blank_message_while_busy_is_ignored_not_refused():
    assert decide(request(" "), "en", key_set=True, busy=True).verdict == IGNORE


def test_a_message_too_long_or_a_bad_field_is_refused_with_the_reason():
    too_long = decide(request("x" * (MAX_MESSAGE_CHARS + 1)), "en", key_set=True)
    assert too_long.verdict == REFUSE and f"{MAX_MESSAGE_CHARS:,}" in too_long.reason
    bad_field = decide(request(max_tokens="lots"), "zh", key_set=True)
    assert bad_field.verdict == REFUSE and "max_tokens" in bad_field.reason
    bad_detail = decide(request(detail="ultra"), "en", key_set=True)
    assert bad_detail.verdict == REFUSE and "detail" in bad_detail.reason


def test_a_refusal_comes_before_ignoring_a_blank_message():
    # A field the visitor cannot send is said even when the box was empty: it would fail the next Send too.
    assert decide(request("", max_tokens="lots"), "en", key_set=True).verdict == REFUSE
    assert decide(request(""), "en", key_set=False).verdict == REFUSE


def test_refusal_for_retry_checks_the_fields_and_the_key_only():
    assert refusal(request(None), "en", key_set=True) is None
    assert refusal(request(None), "en", key_set=False) == t("en", "no_key_toast")
    assert "max_tokens" in refusal(request(None, max_tokens="-1"), "en", key_set=True)
