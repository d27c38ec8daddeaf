"""sfui/share.py: a link round trip, never a key, the length limit, forged and broken links
refused with the right reason, answers left out when asked, pictures left out with a note."""

from __future__ import annotations

import base64
import json
import zlib

import pytest

from sfui import share
from sfui.chat import MAX_MESSAGE_CHARS
from sfui.conversation_files import MAX_MESSAGES
from sfui.i18n import STRINGS
from sfui.params import Controls, InputError

KEY = "sk-secret-0123456789abcdefghij"
PICTURE = {"type": "component", "component": "html",
           "value": '<img class="sfui-image" src="data:image/png;base64,iVBORw0KGgo=" alt="cat.png">'}
HISTORY = [
    {"role": "user", "content": "What is 2+2?"},
    {"role": "assistant", "content": "Let me think", "metadata": {"title": "Thought", "status": "done",
                                                                  "duration": 1.5}},
    {"role": "assistant", "content": "4"},
    {"role": "user", "content": [{"type": "text", "text": "And this picture?"}, PICTURE]},
    {"role": "assistant", "content": "A cat."},
]


def params(**values) -> dict:
    return Controls(**values).to_params()


def raw_fragment(data: bytes) -> str:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.urlsafe_b64encode(packer.compress(data) + packer.flush()).decode().rstrip("=")


def fragment_of(document) -> str:
    return raw_fragment(json.dumps(document).encode())


def chat_link(history=HISTORY, with_answers=True, **fields) -> str:
    document = share.chat_document(history, "Qwen/Qwen3-8B", "Be brief.", params(**fields), with_answers)
    return share.make_link("https://example.org/app/?x=1#old", document)


def opened(link: str) -> share.Shared:
    return share.validate(share.decode_fragment(link.split("#", 1)[1]))


def reason(obj) -> str:
    with pytest.raises(InputError) as caught:
        share.validate(obj)
    return caught.value.key


def test_a_chat_link_round_trips_its_request():
    fields = dict(temperature=0.3, stop="END\nSTOP", enable_thinking="off", seed="42",
                  response_format="json_object", tools='[{"name": "f", "parameters": {}}]')
    link = chat_link(**fields)
    assert link.startswith("https://example.org/app/?x=1#s=") and link.count("#") == 1
    shared = opened(link)
    assert (shared.kind, shared.model, shared.system_prompt) == ("chat", "Qwen/Qwen3-8B", "Be brief.")
    assert shared.params == params(**fields)
    assert Controls(**share.controls_for(shared.params)).to_params() == params(**fields)
    assert [m["content"] for m in shared.messages] == ["What is 2+2?", "Let me think", "4", "And this picture?",
                                                       "A cat."]
    assert shared.messages[1]["metadata"]["title"] == "Thought"
    # The fragment is raw deflate (wbits=-15) of JSON in base64url, with its version inside.
    packed = base64.urlsafe_b64decode(link.split("#s=")[1] + "==")
    document = json.loads(zlib.decompress(packed, -15))
    assert document["v"] == share.VERSION and document["sfui"] == "share"


def test_a_link_never_holds_a_key():
    history = [*HISTORY, {"role": "user", "content": "next"}]
    link = chat_link(history)
    assert KEY not in link and "sk-" not in json.dumps(share.decode_fragment(link.split("#")[1]))
    assert set(share.decode_fragment(link.split("#")[1])) == {"sfui", "v", "kind", "model", "system_prompt",
                                                               "params", "messages", "answers", "left_out"}


def test_answers_are_left_out_when_unticked():
    shared = opened(chat_link(with_answers=False))
    assert [m["role"] for m in shared.messages] == ["user", "user"]
    assert shared.answers is False


def test_pictures_are_left_out_and_the_link_says_so():
    document = share.chat_document(HISTORY, "Qwen/Qwen3-8B", "", params(), True)
    assert document["left_out"] == {"pictures": 1}
    assert "data:image" not in json.dumps(document)
    assert opened(share.make_link("https://x/", document)).pictures_left_out == 1
    assert all("{count}" in STRINGS[lang]["share_pictures_left_out"] for lang in ("en", "zh"))


def test_a_link_over_the_limit_is_refused_and_suggests_the_json_export():
    noise = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(6000))  # hardly compresses
    with pytest.raises(InputError) as caught:
        chat_link([{"role": "user", "content": noise}])
    assert caught.value.key == "share_too_long"
    assert "Export JSON" in caught.value.problem("en") and "导出 JSON" in caught.value.problem("zh")
    short = chat_link()
    assert len(short) <= share.MAX_LINK_CHARS and share.fits_qr(short)


def test_nothing_to_share_without_a_question():
    with pytest.raises(InputError) as caught:
        share.chat_document([], "Qwen/Qwen3-8B", "", {}, True)
    assert caught.value.key == "share_nothing"


@pytest.mark.parametrize("fragment, key", [
    ("***", "share_bad_base64"),
    (base64.urlsafe_b64encode(b"not deflate").decode().rstrip("="), "share_bad_deflate"),
    (raw_fragment(b"{not json"), "share_bad_json"),
    ("A" * (share.MAX_LINK_CHARS + 1), "share_bad_too_long"),
    (raw_fragment(b" " * (share.MAX_DECODED_BYTES + 10)), "share_bad_too_large"),
])
def test_broken_fragments_are_refused_with_their_reason(fragment, key):
    with pytest.raises(InputError) as caught:
        share.decode_fragment(fragment)
    assert caught.value.key == key
    assert caught.value.problem("zh") != caught.value.problem("en")


GOOD = {"sfui": "share", "v": 1, "kind": "chat", "model": "Qwen/Qwen3-8B", "system_prompt": "",
        "params": {"temperature": 0.5}, "messages": [{"role": "user", "content": "hi"}]}


@pytest.mark.parametrize("change, key", [
    ({"v": 2}, "share_version"),
    ({"v": "1"}, "share_version"),
    ({"sfui": "conversation"}, "share_not_share"),
    ({"kind": "poll"}, "share_field"),
    ({"model": "<img src=x onerror=alert(1)>"}, "share_field"),
    ({"params": {"temperature": 9}}, "input_out_of_range"),
    ({"params": {"api_key": KEY}}, "share_field"),
    ({"messages": [{"role": "system", "content": "hi"}]}, "input_import_field"),
    ({"messages": []}, "input_import_empty"),
    ({"messages": [{"role": "user", "content": "x"}] * (MAX_MESSAGES + 1)}, "input_import_too_many"),
    ({"messages": [{"role": "user", "content": "x" * (MAX_MESSAGE_CHARS + 1)}]}, "input_import_message_too_long"),
    ({"left_out": {"pictures": -1}}, "share_field"),
])
def test_forged_links_are_refused_as_an_import_would_be(change, key):
    assert share.validate(GOOD).model == "Qwen/Qwen3-8B"
    assert reason({**GOOD, **change}) == key


def test_page_errors_and_non_objects_are_refused():
    assert reason({share.ERROR_KEY: "deflate"}) == "share_bad_deflate"
    assert reason({share.ERROR_KEY: "<script>"}) == "share_bad_json"
    assert reason(["not", "a", "link"]) == "share_not_share"


def test_html_in_messages_is_kept_as_text():
    text = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    shared = share.validate({**GOOD, "messages": [{"role": "user", "content": text}]})
    assert shared.messages[0]["content"] == text  # the chat shows it inert (sanitize_html)


def test_a_compare_link_round_trips_its_slots_and_question():
    document = share.compare_document([("Qwen/Qwen3-8B", "0.2"), ("deepseek-ai/DeepSeek-V3", "")], 1, "sys",
                                      params(max_tokens=100), "Which is better?")
    shared = opened(share.make_link("https://x/", document))
    assert shared.kind == "compare" and shared.question == "Which is better?"
    assert shared.slots == (("Qwen/Qwen3-8B", "0.2"), ("deepseek-ai/DeepSeek-V3", ""))
    assert reason({**document, "slots": [{"model": "Qwen/Qwen3-8B", "temperature": "hot"}] * 2}).startswith("input_")
    assert reason({**document, "slots": []}) == "share_field"


def test_every_share_string_is_in_both_languages():
    from sfui import strings_share

    assert set(strings_share.EN) == set(strings_share.ZH)
    assert all(strings_share.ZH[key] for key in strings_share.ZH)


def test_a_compare_link_carries_each_panes_answers_unless_left_out():
    panes = [("Model A", [{"role": "user", "content": "Which?"}, {"role": "assistant", "content": "This one."}]),
             ("Model B", [{"role": "user", "content": [{"type": "text", "text": "Which?"}, {"type": "image_url"}]},
                          {"role": "assistant", "content": "<b>That</b> one."}])]
    slots = [("Qwen/Qwen3-8B", ""), ("deepseek-ai/DeepSeek-V3", "")]
    document = share.compare_document(slots, 1, "", params(), "Which?", panes)
    shared = opened(share.make_link("https://x/", document))
    assert shared.answers is True and document["left_out"] == {"pictures": 1}
    assert [label for label, _ in shared.panes] == ["Model A", "Model B"]
    assert [m["content"] for m in shared.panes[1][1]] == ["Which?", "<b>That</b> one."]
    assert share.Shared.from_state(shared.to_state()) == shared
    without = opened(share.make_link("https://x/", share.compare_document(slots, 1, "", params(), "Which?")))
    assert without.answers is False and without.panes == ()
    assert reason({**document, "panes": [{"label": "", "messages": []}]}) == "share_field"
    assert reason({**document, "panes": [document["panes"][0]] * 5}) == "share_field"
    forged = {**document, "panes": [{"label": "A", "messages": [{"role": "robot", "content": "x"}]}]}
    assert reason(forged).startswith("input_import")
