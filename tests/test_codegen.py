"""sfui.codegen (and codegen_programs): the request body of the next Send, and that body as code.

Every snippet is parsed back here (Python with ast, curl with shlex, Go and
JavaScript with small readers of the literal forms codegen writes): the body
inside must equal ``request_body(...)``, and no key may ever appear.
tests/test_codegen_run.py runs the snippets for real against the fake server.
"""

from __future__ import annotations

import ast
import json
import re
import shlex

import pytest

from sfui.api.client import SiliconFlowClient
from sfui.chat import api_messages, append_user
from sfui.codegen import LANGUAGES, code_language, request_body, snippet
from sfui.codegen_programs import OPENAI_SDK_FIELDS, go_raw_string, python_literal, shell_quote
from sfui.params import Controls, InputError

BASE_URL = "https://api.siliconflow.cn/v1"
FAKE_KEY = "sk-codegen-NEVER-IN-A-SNIPPET-7f3a9c"

# Text that breaks naive quoting in one language or another.
TRICKY = ("It's a \"test\" with `backticks`, ${not_a_var}, $HOME, \\n literal, a\nreal newline, a tab\t, "
          "中文，emoji 🙂, '\\'' and @BODY@ @URL@, </script>, \u2028 and \ufeff.")

HISTORY = [
    {"role": "user", "content": [{"type": "text", "text": "First question"}]},
    {"role": "assistant", "content": "thinking…", "metadata": {"title": "💭 Thought"}},  # display only
    {"role": "assistant", "content": [{"type": "text", "text": "First answer with `code`"}]},
]

ALL_FIELDS = dict(
    temperature=1.3, top_p=0.9, top_k=20, max_tokens=100, frequency_penalty=-0.5, stop="END\nSTOP",
    enable_thinking="on", thinking_budget="1024", min_p="0.05", response_format="json_object",
    tools='[{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]',
    presence_penalty="0.25", seed="42",
)


# --- reading a body back out of a snippet -------------------------------------------------


def _python_assignment(text: str, name: str) -> dict | None:
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == [name]:
            return ast.literal_eval(node.value)
    return None


def _curl_body(text: str) -> dict:
    words = shlex.split(text, comments=True)
    return json.loads(words[words.index("-d") + 1])


def _go_body(text: str) -> dict:
    """The value of ``const body = `...` + "`" + `...```: raw strings and "`" joined by +."""
    rest = text[text.index("const body = ") + len("const body = "):]
    parts = []
    while True:
        if rest.startswith("`"):
            end = rest.index("`", 1)
            parts.append(rest[1:end])
            rest = rest[end + 1:]
        elif rest.startswith('"`"'):
            parts.append("`")
            rest = rest[3:]
        else:
            raise AssertionError(f"unexpected Go at {rest[:40]!r}")
        if not rest.startswith(" + "):
            return json.loads("".join(parts))
        rest = rest[3:]


def _javascript_body(text: str) -> dict:
    literal = re.search(r"^const body = (.*?);\n\nasync function", text, re.S | re.M).group(1)
    if literal.startswith("`"):  # a template literal: \\, \` and \${ are its only escapes
        literal = re.sub(r"\\(.)", r"\1", literal[1:-1], flags=re.S)
    return json.loads(literal)


def body_in_snippet(language: str, text: str) -> dict:
    """The JSON body a snippet sends, read back from its source."""
    if language == "curl":
        return _curl_body(text)
    if language == "python-requests":
        return _python_assignment(text, "body")
    if language == "python-openai":
        return {**_python_assignment(text, "request"), **(_python_assignment(text, "extra_body") or {})}
    if language == "go":
        return _go_body(text)
    if language == "javascript":
        return _javascript_body(text)
    raise ValueError(language)


# --- request_body ---------------------------------------------------------------------------


def test_request_body_is_what_send_posts():
    """The same functions Send uses: the history and the new message as API
    messages, the fields that are set, stream true; what the client would post."""
    params = Controls(**ALL_FIELDS).to_params()
    body = request_body(" Qwen/Qwen3-8B ", HISTORY, "Second question", "Be brief.", params)
    expected = SiliconFlowClient("unused", BASE_URL).chat_stream(
        "Qwen/Qwen3-8B", api_messages(append_user(HISTORY, "Second question"), "Be brief."), **params).payload
    assert body == expected
    assert body["stream"] is True
    assert body["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "First question"},
        {"role": "assistant", "content": "First answer with `code`"},
        {"role": "user", "content": "Second question"},
    ]
    assert body["stop"] == ["END", "STOP"] and body["top_k"] == 20 and body["enable_thinking"] is True


def test_fields_left_at_model_default_are_absent():
    body = request_body("Qwen/Qwen3-8B", [], "Hi", "", Controls().to_params())
    # The sliders are always sent; every "model default" field is not.
    assert set(body) == {"model", "messages", "stream", "temperature", "top_p", "top_k", "max_tokens",
                         "frequency_penalty"}
    assert body["messages"] == [{"role": "user", "content": "Hi"}]
    for language in LANGUAGES:
        text = snippet(language, BASE_URL, body)
        for absent in ("seed", "min_p", "thinking_budget", "enable_thinking", "presence_penalty", "stop",
                       "tools", "response_format", "system"):
            assert f'"{absent}"' not in text, (language, absent)


def test_no_message_appends_nothing_and_a_too_long_one_is_refused():
    history = [*HISTORY, {"role": "user", "content": "Asked again"}]
    body = request_body("m", history, None, None, {})
    assert body["messages"][-1] == {"role": "user", "content": "Asked again"}
    assert request_body("m", history, "   ", None, {}) == body
    with pytest.raises(InputError):
        request_body("m", [], "x" * 400_001, None, {})


# --- snippets ---------------------------------------------------------------------------------


def _bodies():
    yield "defaults", request_body("Qwen/Qwen3-8B", [], "Hello", "", Controls().to_params())
    yield "every field", request_body("deepseek-ai/DeepSeek-V3.2", HISTORY, TRICKY, TRICKY,
                                      Controls(**ALL_FIELDS).to_params())
    # Past 2**53: a JavaScript number would round it.
    yield "huge seed", request_body("Qwen/Qwen3-8B", [], "Hi", "", Controls(seed=str(2**63 - 1)).to_params())


BODIES = dict(_bodies())


@pytest.mark.parametrize("case", list(BODIES))
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_body_in_every_snippet_is_the_request_body(language, case):
    body = BODIES[case]
    text = snippet(language, BASE_URL, body)
    assert body_in_snippet(language, text) == body
    assert body_in_snippet(language, text)["stream"] is True


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_key_ever_appears_only_the_environment_variable(language, monkeypatch):
    monkeypatch.setenv("SILICONFLOW_API_KEY", FAKE_KEY)
    for body in BODIES.values():
        text = snippet(language, BASE_URL, body)
        assert FAKE_KEY not in text
        assert "sk-" not in text.replace("sk-...", "")  # the only "sk-" is the placeholder in the comment
        assert "SILICONFLOW_API_KEY" in text
    reads = {"curl": "$SILICONFLOW_API_KEY", "python-requests": 'os.environ["SILICONFLOW_API_KEY"]',
             "python-openai": 'os.environ["SILICONFLOW_API_KEY"]', "go": 'os.Getenv("SILICONFLOW_API_KEY")',
             "javascript": "process.env.SILICONFLOW_API_KEY"}
    assert reads[language] in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_base_url_is_the_apps(language):
    text = snippet(language, "http://127.0.0.1:8123/v1/", BODIES["defaults"])
    expected = "http://127.0.0.1:8123/v1" if language == "python-openai" else "http://127.0.0.1:8123/v1/chat/completions"
    assert expected in text
    assert "siliconflow.cn" not in text


def test_openai_puts_siliconflow_fields_in_extra_body():
    body = BODIES["every field"]
    text = snippet("python-openai", BASE_URL, body)
    request, extra = _python_assignment(text, "request"), _python_assignment(text, "extra_body")
    assert set(extra) == {"top_k", "enable_thinking", "thinking_budget", "min_p"}
    assert set(request) <= OPENAI_SDK_FIELDS
    assert "extra_body=extra_body" in text
    plain = snippet("python-openai", BASE_URL, {"model": "m", "messages": [], "stream": True})
    assert "extra_body" not in plain and "create(**request)" in plain


def test_every_snippet_handles_reasoning_content():
    for language in LANGUAGES:
        assert "reasoning_content" in snippet(language, BASE_URL, BODIES["defaults"]), language


def test_code_language_for_gr_code():
    # gr.Code has no Go: C++'s highlighting stands in.
    assert [code_language(lang) for lang in LANGUAGES] == ["shell", "python", "python", "cpp", "javascript"]
    with pytest.raises(ValueError):
        snippet("rust", BASE_URL, BODIES["defaults"])


# --- the literal writers -------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "plain", "'", "a'b''c", "'\\''", "$x `y` \"z\" \n"])
def test_shell_quote_round_trips(text):
    assert shlex.split(shell_quote(text)) == [text]


@pytest.mark.parametrize("text", ["", "`", "``", "a`b", "`a`", "no backtick"])
def test_go_raw_string_never_holds_a_backtick(text):
    expr = go_raw_string(text)
    raw_parts = re.findall(r"`([^`]*)`", expr.replace('"`"', ""))
    assert all("`" not in part for part in raw_parts)
    assert _go_body("const body = " + go_raw_string(json.dumps(text))) == text


def test_python_literal_keeps_keywords_inside_strings():
    value = {"a": True, "b": False, "c": None, "d": "true false null", "e": [1.5, 1e-05, "x\"null\""]}
    assert ast.literal_eval(python_literal(value)) == value
