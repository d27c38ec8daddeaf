"""sfui/conversation_files.py: a file that declares a conversation format version sfui does
not read is refused with that version named, whatever else it carries (issue 22, part 8)."""

from __future__ import annotations

import json

import pytest

from sfui import conversation_files as files
from sfui.conversation_format import SCHEMA_VERSION
from sfui.params import InputError

MESSAGES = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]


@pytest.mark.parametrize("version", [999, 2, 0, "1", 1.0, None, [1]])
def test_a_version_sfui_does_not_read_is_refused_even_with_a_messages_list(version):
    with pytest.raises(InputError) as refused:
        files.from_json(json.dumps({"version": version, "messages": MESSAGES}))
    assert refused.value.key == "input_import_version"
    named = json.dumps(version)
    assert named in refused.value.problem("en") and str(SCHEMA_VERSION) in refused.value.problem("en")
    assert named in refused.value.problem("zh")


def test_the_refusal_is_said_in_both_languages_and_nothing_is_imported():
    with pytest.raises(InputError) as refused:
        files.from_json(json.dumps({"version": 999, "messages": MESSAGES}))
    assert files.import_error_message(refused.value, "en") == (
        "Not imported: the file is in conversation format 999; this sfui reads format 1. Nothing saved was changed.")
    assert files.import_error_message(refused.value, "zh") == (
        "未导入：文件的对话格式版本为 999，本 sfui 只能读取版本 1。已保存的内容没有任何改动。")


def test_an_openai_list_without_a_version_and_sfui_format_1_still_import():
    assert files.from_json(json.dumps({"messages": MESSAGES}))["messages"] == MESSAGES
    assert files.from_json(json.dumps({"version": SCHEMA_VERSION, "messages": MESSAGES}))["messages"] == MESSAGES
    assert files.from_json(json.dumps(MESSAGES))["messages"] == MESSAGES
