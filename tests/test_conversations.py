"""Saved conversations, export and import (sfui/conversations.py, conversation_format.py, conversation_files.py):
the store the browser keeps, the files a visitor downloads and uploads, and every bad file refused
with nothing saved touched."""

from __future__ import annotations

import copy
import json

import pytest

from sfui import conversation_files as files
from sfui import conversation_format as fmt
from sfui import conversations as conv
from sfui.api.events import Finished, ReasoningDelta, TextDelta, Usage, UsageUpdate
from sfui.chat import MAX_MESSAGE_CHARS, Turn
from sfui.i18n import STRINGS, t
from sfui.params import InputError
from sfui.prices import Charge, Price

NOW = 1_764_410_000.0  # 2025-11-29 09:53:20 UTC


class FakeClock:
    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def ids(*names: str):
    """new_id for new_conversation: the given ids in order."""
    pending = list(names)
    return lambda: pending.pop(0)


def finished_turn() -> Turn:
    """A reasoning answer, fed as a stream feeds it: thinking 0.5–1.7 s, answer to 3.0 s."""
    clock = FakeClock(100.0)
    turn = Turn([{"role": "user", "content": "q"}], "en", clock=clock)
    for at, event in [(100.5, ReasoningDelta("Hmm, 2+2… 🤔")), (101.7, TextDelta("It ")), (102.2, TextDelta("is ")),
                      (102.7, TextDelta("4 ✅")), (102.7, UsageUpdate(Usage(12, 30, 42, 20))),
                      (102.7, Finished("stop"))]:
        clock.now = at
        turn.reply.apply(event)
        turn.apply(event)
    clock.now = 103.0
    turn.finish()
    return turn


def sample(conversation_id: str = "c1", updated: float = NOW, title: str = "为什么天空是蓝色的？ 🌈") -> dict:
    """A saved conversation with everything a real one has: Chinese and emoji text, a thinking
    bubble with its duration, an error notice, two answer records, the side panels."""
    turn = finished_turn()
    messages = [
        {"role": "user", "content": "为什么天空是蓝色的？ 🌈"},
        {"role": "assistant", "content": "Rayleigh… 散射",
         "metadata": {"title": t("en", "thought"), "status": "done", "duration": 3.2}},
        {"role": "assistant", "content": "因为瑞利散射 — **short** waves scatter more. 🌤"},
        {"role": "user", "content": "And <b>sunsets</b>?"},
        {"role": "assistant", "content": "The rate limit…", "metadata": {"title": "⚠️ Error"}},
    ]
    params = {"temperature": 0.7, "max_tokens": 512, "stop": ["\n\n"], "response_format": {"type": "json_object"}}
    answers = [fmt.answer_record(turn, "deepseek-ai/DeepSeek-R1", params, "Be brief.", 2)]
    answers.append({**answers[0], "message_index": 4, "usage": None, "ttft": None, "tokens_per_second": None,
                    "finish_reason": None, "status": "error"})
    return {"id": conversation_id, "title": title, "model": "deepseek-ai/DeepSeek-R1", "system_prompt": "Be brief.",
            "created": NOW - 60, "updated": updated, "messages": messages, "answers": answers,
            "panels": {"reasoning": "Rayleigh… 散射", "usage": turn.usage_markdown()}}


def store_of(*conversations: dict) -> dict:
    store = conv.empty_store()
    for conversation in conversations:
        store = conv.save(store, conversation)
    return store


# --- answers -----------------------------------------------------------------------------------


def test_answer_record_takes_a_finished_turns_usage_timings_and_status():
    record = fmt.answer_record(finished_turn(), "m/x", {"temperature": 0.2}, "sys", 2)
    assert record == {
        "message_index": 2, "model": "m/x", "params": {"temperature": 0.2}, "system_prompt": "sys",
        "usage": {"prompt_tokens": 12, "completion_tokens": 30, "reasoning_tokens": 20, "total_tokens": 42},
        "cost": None,  # no price given
        "ttft": 0.5, "total_time": 3.0,
        "tokens_per_second": 9.0,  # (30 - 20) answer tokens, the first starts the clock: 9 over 1.0 s
        "finish_reason": "stop", "status": "done",
    }
    json.dumps(record, allow_nan=False)  # plain JSON


def test_answer_record_of_a_stopped_turn_without_usage():
    clock = FakeClock(0.0)
    turn = Turn([], clock=clock)
    turn.stopped = True
    clock.now = 2.0
    turn.finish()
    record = fmt.answer_record(turn, "m", {}, "", 0)
    assert (record["status"], record["usage"], record["ttft"], record["total_time"]) == ("stopped", None, None, 2.0)


def test_answer_message_index_is_the_answer_text_else_the_last_new_message():
    thought = {"role": "assistant", "content": "…", "metadata": {"title": "💭", "status": "done"}}
    answer = {"role": "assistant", "content": "4"}
    notice = {"role": "assistant", "content": "429", "metadata": {"title": "⚠️"}}
    assert fmt.answer_message_index(3, [thought, answer, notice]) == 4
    assert fmt.answer_message_index(3, [thought, notice]) == 4
    assert fmt.answer_message_index(3, [notice]) == 3


# --- export then import ---------------------------------------------------------------------------


def test_export_then_import_gives_back_the_same_conversation_field_by_field():
    original = sample()
    saved = conv.get(store_of(original), "c1")
    text = files.to_json(saved)
    assert "为什么天空是蓝色的" in text and "🌈" in text  # written as text, not \u-escaped
    document = json.loads(text)
    assert (document["sfui"], document["version"]) == ("conversation", fmt.SCHEMA_VERSION)
    back = files.from_json(text.encode("utf-8"))
    assert set(back) == set(original)
    for field in original:
        assert back[field] == original[field], field
    assert back["messages"][1]["metadata"]["duration"] == 3.2
    assert back["answers"][0]["usage"]["reasoning_tokens"] == 20
    assert back["panels"]["usage"].startswith("| Usage |")


def test_gradio_block_content_is_stored_as_plain_text_and_file_parts_are_kept():
    image = {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}
    raw = {**sample(), "messages": [
        {"role": "user", "content": [{"type": "text", "text": "Hi "}, {"type": "text", "text": "there"}],
         "metadata": None, "options": []},
        {"role": "user", "content": [{"type": "text", "text": "and this"}, image]},
        {"role": "assistant", "content": [{"type": "text", "text": "ok"}],
         "metadata": {"title": "💭", "status": "done", "duration": 1.5, "log": None, "bogus": 1}},
    ], "answers": []}
    messages = conv.get(store_of(raw), "c1")["messages"]
    assert messages == [
        {"role": "user", "content": "Hi there"},
        {"role": "user", "content": [{"type": "text", "text": "and this"}, image]},
        {"role": "assistant", "content": "ok", "metadata": {"title": "💭", "status": "done", "duration": 1.5}},
    ]
    assert files.from_json(files.to_json(conv.get(store_of(raw), "c1")))["messages"] == messages


def test_markdown_has_the_header_each_message_thinking_in_details_and_usage_per_answer():
    text = files.to_markdown(sample(), "en")
    assert text.startswith("# 为什么天空是蓝色的？ 🌈\n")
    assert "`deepseek-ai/DeepSeek-R1`" in text
    assert "`temperature` = `0.7`" in text and '`stop` = `["\\n\\n"]`' in text
    assert "> Be brief." in text
    assert "<details><summary>Thought for 3.2 s</summary>\n\nRayleigh… 散射\n\n</details>" in text
    assert "因为瑞利散射 — **short** waves scatter more. 🌤" in text
    assert "Prompt tokens 12 · Completion tokens 30 · Reasoning tokens 20 · Total tokens 42" in text
    assert "Time to first token 0.50 s" in text and "Finish reason `stop`" in text
    assert "Status error" in text  # the second answer failed
    assert "> **⚠️ Error**" in text
    assert text.index("## 🧑 You") < text.index("<details>") < text.index("因为") < text.index("Prompt tokens")
    assert text.count("## 🧑 You") == 2 and text.count("## 🤖 Assistant") == 2
    assert "<b>sunsets</b>" in text  # kept as written


def test_markdown_in_chinese():
    text = files.to_markdown(sample(), "zh")
    assert "<details><summary>已思考 3.2 秒</summary>" in text
    assert "输入 tokens 12" in text and "## 🧑 你" in text


def test_export_filename_is_safe():
    assert files.export_filename(sample(title="Why is the sky blue? / ../etc"), "md") == \
        "sfui-why-is-the-sky-blue-etc-20251129-0953.md"
    assert files.export_filename(sample(), ".JSON") == "sfui-conversation-20251129-0953.json"


# --- import: OpenAI lists and bad files ------------------------------------------------------------


def test_an_openai_messages_list_is_imported_as_a_new_conversation():
    messages = [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "Weather in Paris?"},
        {"role": "assistant", "content": None, "reasoning_content": "Need the tool.",
         "tool_calls": [{"id": "1", "type": "function",
                         "function": {"name": "weather", "arguments": "{\"city\": \"Paris\"}"}}]},
        {"role": "tool", "tool_call_id": "1", "content": "18 °C"},
        {"role": "assistant", "content": [{"type": "text", "text": "18 °C and sunny."}]},
    ]
    for data in (json.dumps(messages), json.dumps({"model": "Qwen/Qwen3-8B", "messages": messages})):
        imported = files.from_json(data, now=NOW, new_id=ids("new-1"))
        assert imported["id"] == "new-1" and imported["created"] == imported["updated"] == NOW
        assert imported["title"] == "Weather in Paris?" and imported["system_prompt"] == "You are terse."
        assert [m["content"] for m in imported["messages"]] == [
            "Weather in Paris?", "Need the tool.", '```json\n{"city": "Paris"}\n```', "18 °C", "18 °C and sunny."]
        assert imported["messages"][1]["metadata"] == {"title": t("en", "thought"), "status": "done"}
        assert imported["messages"][2]["metadata"]["title"] == t("en", "tool_call", name="weather")
    assert imported["model"] == "Qwen/Qwen3-8B"
    assert conv.stored_chars(conv.save(conv.empty_store(), imported)) < 10_000


BAD_FILES = {
    "not JSON": (b"\x89PNG\r\n\x1a\n not json", "input_import_not_json"),
    "not UTF-8": (b'{"messages": "\xff"}', "input_import_not_json"),
    "wrong shape": (json.dumps({"hello": "world"}), "input_import_shape"),
    "a bare number": ("42", "input_import_shape"),
    "another sfui file": (json.dumps({"sfui": "tally", "version": 1}), "input_import_shape"),
    "unknown version": (json.dumps({**json.loads(files.to_json(sample())), "version": 2}), "input_import_version"),
    "version true": (json.dumps({**json.loads(files.to_json(sample())), "version": True}), "input_import_version"),
    "bad field": (json.dumps({**json.loads(files.to_json(sample())), "created": "yesterday"}), "input_import_field"),
    "bad message": (json.dumps([{"role": "user", "content": 3}]), "input_import_message"),
    "unknown role": (json.dumps([{"role": "wizard", "content": "hi"}]), "input_import_role"),
    "no messages": (json.dumps({"messages": []}), "input_import_empty"),
    "too long": (json.dumps([{"role": "user", "content": "x" * (MAX_MESSAGE_CHARS + 1)}]),
                 "input_import_message_too_long"),
    "10,000 messages": (json.dumps([{"role": "user", "content": "hi"}] * 10_000), "input_import_too_many"),
    "50 MB": (b"[" + b" " * 50_000_000 + b"]", "input_import_too_large"),
    "deeply nested": ("[" * 100_000 + "]" * 100_000, "input_import_not_json"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_each_bad_file_is_refused_with_its_reason_and_nothing_saved_changes(name):
    data, key = BAD_FILES[name]
    store = store_of(sample("a", NOW - 10), sample("b", NOW))
    before = copy.deepcopy(store)
    with pytest.raises(InputError) as refused:
        files.from_json(data)
    assert refused.value.key == key
    assert store == before
    for lang in ("en", "zh"):
        message = files.import_error_message(refused.value, lang)
        assert "{" not in message and refused.value.problem(lang) in message
    assert "已保存的内容没有任何改动" in files.import_error_message(refused.value, "zh")


def test_size_and_count_refusals_say_the_size_and_the_limit():
    with pytest.raises(InputError) as big:
        files.from_json(b" " * 50_000_000)
    assert big.value.problem("en") == "the file is 50.0 MB; the limit is 5.0 MB"
    with pytest.raises(InputError) as many:
        files.from_json(json.dumps([{"role": "user", "content": "hi"}] * 10_000))
    assert many.value.problem("en") == "the conversation has 10,000 messages; the limit is 2,000"
    assert "10,000" in many.value.problem("zh") and "2,000" in many.value.problem("zh")


def test_html_and_script_in_messages_are_kept_verbatim_as_text():
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)"> <a href="javascript:x">y</a>'
    imported = files.from_json(json.dumps([{"role": "user", "content": payload},
                                          {"role": "assistant", "content": payload}]))
    assert [m["content"] for m in imported["messages"]] == [payload, payload]
    saved = conv.save(conv.empty_store(), imported)
    assert files.from_json(files.to_json(conv.get(saved, imported["id"])))["messages"][0]["content"] == payload


# --- the store -----------------------------------------------------------------------------------


def test_save_keeps_newest_first_and_replaces_by_id_without_touching_its_input():
    store = store_of(sample("old", NOW - 100), sample("new", NOW))
    assert [c["id"] for c in store["conversations"]] == ["new", "old"]
    before = copy.deepcopy(store)
    newer = conv.save(store, sample("old", NOW + 5, title="Again"))
    assert store == before
    assert [(c["id"], c["title"]) for c in newer["conversations"]] == [("old", "Again"), ("new", sample()["title"])]
    assert conv.get(newer, "missing") is None
    with pytest.raises(ValueError):
        conv.save(store, {"id": "x"})


def test_rename_keeps_the_place_and_refuses_a_blank_title():
    store = store_of(sample("a", NOW - 10), sample("b", NOW))
    renamed = conv.rename(store, "a", "  Sky   colours ")
    assert conv.get(renamed, "a")["title"] == "Sky colours"
    assert [c["id"] for c in renamed["conversations"]] == ["b", "a"]
    assert conv.get(store, "a")["title"] == sample()["title"]
    for blank in ("", "   ", None):
        with pytest.raises(InputError) as refused:
            conv.rename(store, "a", blank)
        assert refused.value.key == "input_title_empty"
    with pytest.raises(InputError) as long:
        conv.rename(store, "a", "x" * (fmt.MAX_TITLE_CHARS + 1))
    assert long.value.key == "input_title_too_long"


def test_delete_returns_the_removed_conversation_and_restore_puts_it_back():
    store = store_of(sample("a", NOW - 20), sample("b", NOW - 10), sample("c", NOW))
    smaller, removed = conv.delete(store, "b")
    assert removed["id"] == "b" and [c["id"] for c in smaller["conversations"]] == ["c", "a"]
    assert conv.restore(smaller, removed) == store
    assert conv.delete(smaller, "b") == (smaller, None)


def test_with_changes_titles_from_the_first_question_and_drops_answers_past_the_end():
    conversation = sample()
    edited = fmt.with_changes({**conversation, "title": ""}, NOW + 1, messages=conversation["messages"][:3])
    assert edited["title"] == "为什么天空是蓝色的？ 🌈" and edited["updated"] == NOW + 1
    assert [a["message_index"] for a in edited["answers"]] == [2]
    fresh = fmt.new_conversation(NOW, ids("n1"))
    assert fresh["id"] == "n1" and fresh["messages"] == [] and fresh["panels"] == {"reasoning": "", "usage": ""}


def test_title_from():
    assert fmt.title_from("\n  How   do\tI  sort a list?\nin Python") == "How do I sort a list?"
    long = fmt.title_from("word " * 30)
    assert len(long) == 48 and long.endswith("…")
    assert fmt.title_from("") == ""


@pytest.mark.parametrize("garbage", [None, "", 0, [], "store", {"conversations": "x"}, {"version": 1}])
def test_clean_store_on_garbage_is_an_empty_store(garbage):
    assert conv.clean_store(garbage) == conv.empty_store()


def test_clean_store_drops_what_is_malformed_and_counts_it():
    good = sample("good", NOW)
    bad = [
        "text", {"id": "x"}, {**sample("n"), "updated": float("nan")}, {**sample("r"), "messages": [{"role": "x"}]},
        {**sample("a"), "answers": [{"message_index": 99}]}, {**sample("t"), "title": 5}, good,  # a repeated id
    ]
    raw = {"version": 1, "conversations": [sample("older", NOW - 50), *bad, good]}
    store, dropped = conv.load_store(raw)
    assert [c["id"] for c in store["conversations"]] == ["good", "older"]
    assert dropped == len(bad)
    assert conv.load_store({"version": 99, "conversations": [good, good]}) == (conv.empty_store(), 2)
    assert json.loads(json.dumps(store)) == store


# --- storage ---------------------------------------------------------------------------------------


def test_stored_chars_follow_browser_state_encryption():
    def size(text: str) -> int:
        return conv.stored_chars({"t": text})
    ascii_step, chinese_step, emoji_step = ((size(c * 30_000) - size("")) / 30_000 for c in ("a", "中", "🙂"))
    assert ascii_step == pytest.approx(4 / 3, rel=0.01)
    assert chinese_step == pytest.approx(4, rel=0.01)
    assert emoji_step == pytest.approx(16 / 3, rel=0.01)
    # exactly: 25 characters of iv, and base64 of "Salted__", salt and padded ciphertext
    assert conv.stored_chars({}) == 25 + 4 * 11  # "{}" pads to 16 bytes: 32 bytes -> 44 characters


# --- the list ------------------------------------------------------------------------------------


def test_list_rows_label_title_model_and_when_in_both_languages():
    store = store_of(sample("now", NOW - 5, title="Now"), sample("min", NOW - 300, title="Five"),
                     sample("hours", NOW - 3 * 3600, title=""), sample("yday", NOW - 30 * 3600, title="Y"),
                     sample("old", NOW - 10 * 86400, title="Old"))
    model = "deepseek-ai/DeepSeek-R1"
    assert conv.list_rows(store, "en", NOW) == [
        (f"Now · {model} · just now", "now"), (f"Five · {model} · 5 min ago", "min"),
        (f"New chat · {model} · 3 h ago", "hours"), (f"Y · {model} · yesterday", "yday"),
        (f"Old · {model} · 2025-11-19", "old")]
    assert [label.split(" · ")[-1] for label, _ in conv.list_rows(store, "zh", NOW)] == [
        "刚刚", "5 分钟前", "3 小时前", "昨天", "2025-11-19"]
    assert conv.list_rows(store, "zh", NOW)[2][0].startswith("新对话 · ")


def test_every_catalogue_key_this_feature_uses_is_in_both_languages():
    keys = [k for k in STRINGS["en"] if k.startswith(("conv_md_", "input_import_", "input_title_"))]
    assert len(keys) >= 15
    assert all(k in STRINGS["zh"] and STRINGS["zh"][k] != STRINGS["en"][k] for k in keys)


def test_with_messages_and_with_answer_follow_the_chat_after_each_answer():
    turn = finished_turn()  # answered "q" with a thinking bubble and "It is 4 ✅"
    history = [{"role": "user", "content": [{"type": "text", "text": "q"}]}, *turn.new_messages()]
    payload = {"model": "m/r1", "stream": True, "temperature": 0.6, "stop": ["END"],
               "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "q"}]}
    opened = fmt.with_messages(fmt.new_conversation(NOW, ids("c")), history, NOW + 1)
    saved = fmt.with_answer(opened, turn, payload)
    assert saved["messages"][0] == {"role": "user", "content": "q"} and saved["title"] == "q"
    assert (saved["model"], saved["system_prompt"], saved["updated"]) == ("m/r1", "Be brief.", NOW + 1)
    [record] = saved["answers"]
    assert record["message_index"] == 2 and saved["messages"][2]["content"] == "It is 4 ✅"
    assert record["params"] == {"temperature": 0.6, "stop": ["END"]}  # as sent, without model/messages/stream
    assert record["usage"]["total_tokens"] == 42 and record["system_prompt"] == "Be brief."
    # a retry of that answer replaces its record; an undo drops it
    retried = fmt.with_answer(fmt.with_messages(saved, history, NOW + 2), turn, {**payload, "model": "m/v3"})
    assert [a["model"] for a in retried["answers"]] == ["m/v3"]
    assert fmt.with_messages(retried, [], NOW + 3)["answers"] == []


def test_too_large_is_the_same_refusal_the_import_gives():
    refusal = files.too_large(52_428_800)
    assert refusal.key == "input_import_too_large"
    assert refusal.problem("zh") == "文件大小为 52.4 MB，上限为 5.0 MB"


# --- costs (issue 20) ---------------------------------------------------------------------------


def priced_turn(price: Price | None, currency: str = "¥") -> Turn:
    turn = finished_turn()
    turn.charge = Charge(price, currency)
    return turn


def priced(answers: list[dict]) -> dict:
    conversation = sample()
    return {**conversation, "answers": answers}


def test_answer_record_keeps_the_answers_cost():
    # 12 prompt tokens at 2 and 30 completion tokens (20 of them reasoning) at 8 per million
    record = fmt.answer_record(priced_turn(Price(2.0, 8.0)), "deepseek-ai/DeepSeek-V3", {}, "", 2)
    assert record["cost"] == {"amount": pytest.approx((12 * 2 + 30 * 8) / 1e6), "currency": "¥"}
    assert fmt.answer_record(priced_turn(Price(0, 0), "$"), "m", {}, "", 2)["cost"] == {"amount": 0.0,
                                                                                       "currency": "$"}
    assert fmt.answer_record(priced_turn(None), "m", {}, "", 2)["cost"] is None  # price unknown


def test_the_json_export_keeps_each_answers_cost_and_imports_it_again():
    record = fmt.answer_record(priced_turn(Price(2.0, 8.0)), "deepseek-ai/DeepSeek-V3", {}, "", 2)
    conversation = fmt.check_conversation(priced([record]))
    exported = json.loads(files.to_json(conversation))
    assert exported["answers"][0]["cost"] == {"amount": pytest.approx(0.000264), "currency": "¥"}
    imported = files.from_json(files.to_json(conversation), now=NOW)
    assert imported["answers"][0]["cost"] == record["cost"]
    assert "Cost ¥0.00026" in files.to_markdown(conversation, "en")


def test_an_old_file_without_costs_still_imports():
    document = json.loads(files.to_json(sample()))
    for answer in document["answers"]:
        del answer["cost"]  # as sfui wrote them before it kept costs
    imported = files.from_json(json.dumps(document), now=NOW)
    assert [answer["cost"] for answer in imported["answers"]] == [None, None]


@pytest.mark.parametrize("cost", [{"amount": -1, "currency": "¥"}, {"amount": "1", "currency": "¥"},
                                  {"amount": 1}, {"amount": 1, "currency": "x" * 9}, 3])
def test_a_bad_cost_is_refused(cost):
    conversation = sample()
    conversation["answers"][0]["cost"] = cost
    with pytest.raises(fmt.Malformed):
        fmt.check_conversation(conversation)


def test_the_sidebar_shows_a_conversations_total_cost():
    one = {"amount": 0.004, "currency": "¥"}
    two = {"amount": 0.0022, "currency": "¥"}
    conversation = priced([{**sample()["answers"][0], "cost": one}, {**sample()["answers"][1], "cost": two}])
    assert fmt.total_cost(conversation) == {"¥": pytest.approx(0.0062)}
    label = conv.list_rows(store_of(conversation), "en", NOW)[0][0]
    assert " · ¥0.0062 · " in label
    free = priced([{**sample()["answers"][0], "cost": {"amount": 0.0, "currency": "¥"}}])
    assert " · 免费 · " in conv.list_rows(store_of(free), "zh", NOW)[0][0]
    assert conv.cost_text(sample(), "en") == ""  # no cost known: nothing shown
