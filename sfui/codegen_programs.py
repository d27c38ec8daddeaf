"""The programs behind the code view: for each language, a template of a program that
posts a chat completion and prints the streamed answer (the thinking first, then the
answer), and how a request body is written into it as a literal of that language.

The body goes in verbatim: as JSON text (curl's shell quoting, Go's raw string, a
JavaScript object or template literal) or as a Python literal laid out like JSON.
The key is only ever read from the ``SILICONFLOW_API_KEY`` environment variable.
sfui/codegen.py builds the body and picks the program.

Nothing here imports Gradio.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable
from typing import Any

# The fields the openai SDK's ``chat.completions.create`` takes as parameters.
# Any other field (SiliconFlow's top_k, enable_thinking, thinking_budget, min_p)
# goes in ``extra_body``: the SDK refuses unknown keyword arguments.
OPENAI_SDK_FIELDS = frozenset({
    "model", "messages", "stream", "max_tokens", "stop", "temperature", "top_p", "frequency_penalty",
    "presence_penalty", "n", "response_format", "tools", "tool_choice", "seed", "stream_options",
})

# Largest integer a JavaScript number holds exactly: past it, JSON.stringify would send another number.
_JS_SAFE_INTEGER = 2**53 - 1


# --- literals -------------------------------------------------------------------------

# Characters kept out of every snippet as \\u escapes (they occur only inside JSON
# strings): a BOM is refused mid-file by Go, U+2028/9 break lines in some editors,
# and a lone surrogate cannot be written as UTF-8.
_UNSAFE_CHARS = re.compile("[\ufeff\u2028\u2029\ud800-\udfff]")
# A JSON string or a JSON keyword, so that keywords inside strings are left alone.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\b(?:true|false|null)\b')
_PYTHON_KEYWORDS = {"true": "True", "false": "False", "null": "None"}


def json_text(value: Any, indent: int = 2) -> str:
    """``value`` as pretty JSON, non-ASCII text kept readable (Chinese stays Chinese)."""
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    return _UNSAFE_CHARS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def python_literal(value: Any) -> str:
    """``value`` as a Python literal laid out like pretty JSON: a JSON string is a
    valid Python string, so only true/false/null outside strings change."""
    return _JSON_TOKEN.sub(lambda m: _PYTHON_KEYWORDS.get(m.group(), m.group()), json_text(value, indent=4))


def shell_quote(text: str) -> str:
    """``text`` in single quotes for a POSIX shell (a quote inside becomes '\\'')."""
    return "'" + text.replace("'", "'\\''") + "'"


def go_raw_string(text: str) -> str:
    """``text`` as a Go string expression: raw strings, with each backtick (which a
    raw string cannot hold) concatenated in as an interpreted "`"."""
    return " + \"`\" + ".join(f"`{part}`" for part in text.split("`"))


def _has_unsafe_integer(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_unsafe_integer(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_unsafe_integer(v) for v in value)
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) > _JS_SAFE_INTEGER


def _js_template(text: str) -> str:
    """``text`` as a JavaScript template literal that evaluates to exactly ``text``."""
    return "`" + text.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${") + "`"


_PLACEHOLDER = re.compile(r"@([A-Z_]+)@")


def _endpoint(base_url: str) -> str:
    return json.dumps(base_url + "/chat/completions")


def _fill(template: str, **values: str) -> str:
    """``template`` with each ``@NAME@`` replaced by ``values[NAME]``, in one pass
    over the template: nothing put in (a message saying "@URL@") is ever taken for
    a placeholder."""
    parts = _PLACEHOLDER.split(template)
    # split() puts each placeholder's name at the odd indexes.
    return "".join(values[part] if i % 2 else part for i, part in enumerate(parts))


# --- the snippets -----------------------------------------------------------------------
# Each prints "Thinking:" and the reasoning_content as it streams, then "Answer:" and
# the content; a model that does not think prints the answer alone.

_CURL = """\
# Needs curl and jq. Set your key first: export SILICONFLOW_API_KEY=sk-...
curl -sS -N @URL@ \\
  -H "Authorization: Bearer $SILICONFLOW_API_KEY" \\
  -H 'Content-Type: application/json' \\
  -d @BODY@ |
jq -nRrj --unbuffered '
  foreach (inputs | select(startswith("data:")) | .[5:] | ltrimstr(" ") | select(. != "[DONE]")
           | fromjson | .choices[0].delta // {}) as $d
    ({thinking: false};
     .out = "" |
     if ($d.reasoning_content // "") != "" then
       .out = (if .thinking then "" else "Thinking:\\n" end) + $d.reasoning_content | .thinking = true
     else . end |
     if ($d.content // "") != "" then
       .out += (if .thinking then "\\n\\nAnswer:\\n" else "" end) + $d.content | .thinking = false
     else . end;
     .out)'
echo
"""


def _curl(base_url: str, body: dict) -> str:
    return _fill(_CURL, URL=shlex.quote(base_url + "/chat/completions"), BODY=shell_quote(json_text(body)))


_PYTHON_REQUESTS = """\
# Set your key first: export SILICONFLOW_API_KEY=sk-...
import json
import os
import sys

import requests

body = @BODY@

response = requests.post(
    @URL@,
    headers={"Authorization": "Bearer " + os.environ["SILICONFLOW_API_KEY"]},
    json=body,
    stream=True,
    timeout=(10, 300),
)
if not response.ok:
    sys.exit(f"HTTP {response.status_code}: {response.text}")

thinking = False
for line in response.iter_lines():
    if not line.startswith(b"data:"):
        continue
    data = line[5:].strip()
    if data == b"[DONE]":
        break
    choices = json.loads(data).get("choices") or [{}]
    delta = choices[0].get("delta") or {}
    if delta.get("reasoning_content"):
        if not thinking:
            print("Thinking:")
            thinking = True
        print(delta["reasoning_content"], end="", flush=True)
    if delta.get("content"):
        if thinking:
            print("\\n\\nAnswer:")
            thinking = False
        print(delta["content"], end="", flush=True)
print()
"""


def _python_requests(base_url: str, body: dict) -> str:
    return _fill(_PYTHON_REQUESTS, URL=_endpoint(base_url), BODY=python_literal(body))


_PYTHON_OPENAI = """\
# Set your key first: export SILICONFLOW_API_KEY=sk-...
import os

from openai import OpenAI

client = OpenAI(api_key=os.environ["SILICONFLOW_API_KEY"], base_url=@URL@)

request = @BODY@

@EXTRA@stream = client.chat.completions.create(**request@EXTRA_ARG@)
thinking = False
for chunk in stream:
    if not chunk.choices:
        continue
    delta = chunk.choices[0].delta
    reasoning = getattr(delta, "reasoning_content", None)  # SiliconFlow's field, not in the SDK's types
    if reasoning:
        if not thinking:
            print("Thinking:")
            thinking = True
        print(reasoning, end="", flush=True)
    if delta.content:
        if thinking:
            print("\\n\\nAnswer:")
            thinking = False
        print(delta.content, end="", flush=True)
print()
"""

_OPENAI_EXTRA = """\
# SiliconFlow's own fields are not parameters of the SDK: they go in extra_body.
extra_body = @EXTRA_BODY@

"""


def _python_openai(base_url: str, body: dict) -> str:
    request = {k: v for k, v in body.items() if k in OPENAI_SDK_FIELDS}
    extra = {k: v for k, v in body.items() if k not in OPENAI_SDK_FIELDS}
    extra_part = _fill(_OPENAI_EXTRA, EXTRA_BODY=python_literal(extra)) if extra else ""
    return _fill(_PYTHON_OPENAI, URL=json.dumps(base_url), BODY=python_literal(request), EXTRA=extra_part,
                 EXTRA_ARG=", extra_body=extra_body" if extra else "")


_GO = """\
// Set your key first: export SILICONFLOW_API_KEY=sk-...
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
)

const body = @BODY@

type chunk struct {
	Choices []struct {
		Delta struct {
			Content          string `json:"content"`
			ReasoningContent string `json:"reasoning_content"`
		} `json:"delta"`
	} `json:"choices"`
}

func main() {
	req, err := http.NewRequest("POST", @URL@, strings.NewReader(body))
	if err != nil {
		panic(err)
	}
	req.Header.Set("Authorization", "Bearer "+os.Getenv("SILICONFLOW_API_KEY"))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(resp.Body)
		fmt.Fprintf(os.Stderr, "HTTP %d: %s\\n", resp.StatusCode, msg)
		os.Exit(1)
	}

	scanner := bufio.NewScanner(resp.Body)
	scanner.Buffer(make([]byte, 64*1024), 16*1024*1024)
	thinking := false
	for scanner.Scan() {
		line := scanner.Text()
		if !strings.HasPrefix(line, "data:") {
			continue
		}
		data := strings.TrimSpace(strings.TrimPrefix(line, "data:"))
		if data == "[DONE]" {
			break
		}
		var c chunk
		if json.Unmarshal([]byte(data), &c) != nil || len(c.Choices) == 0 {
			continue
		}
		delta := c.Choices[0].Delta
		if delta.ReasoningContent != "" {
			if !thinking {
				fmt.Println("Thinking:")
				thinking = true
			}
			fmt.Print(delta.ReasoningContent)
		}
		if delta.Content != "" {
			if thinking {
				fmt.Print("\\n\\nAnswer:\\n")
				thinking = false
			}
			fmt.Print(delta.Content)
		}
	}
	fmt.Println()
	if err := scanner.Err(); err != nil {
		panic(err)
	}
}
"""


def _go(base_url: str, body: dict) -> str:
    return _fill(_GO, URL=_endpoint(base_url), BODY=go_raw_string(json_text(body)))


_JAVASCRIPT = """\
// Node.js 18+ (fetch is built in). Set your key first: export SILICONFLOW_API_KEY=sk-...
const body = @BODY@;

async function main() {
  const response = await fetch(@URL@, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${process.env.SILICONFLOW_API_KEY}`,
      "Content-Type": "application/json",
    },
    body: @SEND@,
  });
  if (!response.ok) {
    throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  }

  const decoder = new TextDecoder();
  let buffer = "";
  let thinking = false;
  for await (const bytes of response.body) {
    buffer += decoder.decode(bytes, { stream: true });
    const lines = buffer.split("\\n");
    buffer = lines.pop();
    for (const line of lines) {
      if (!line.startsWith("data:")) continue;
      const data = line.slice(5).trim();
      if (data === "[DONE]") continue;
      const delta = JSON.parse(data).choices?.[0]?.delta ?? {};
      if (delta.reasoning_content) {
        if (!thinking) process.stdout.write("Thinking:\\n");
        thinking = true;
        process.stdout.write(delta.reasoning_content);
      }
      if (delta.content) {
        if (thinking) process.stdout.write("\\n\\nAnswer:\\n");
        thinking = false;
        process.stdout.write(delta.content);
      }
    }
  }
  process.stdout.write("\\n");
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
"""


def _javascript(base_url: str, body: dict) -> str:
    if _has_unsafe_integer(body):
        # A number past 2**53 (a large seed) would change in a JavaScript object:
        # send the JSON text as it is instead.
        return _fill(_JAVASCRIPT, URL=_endpoint(base_url), BODY=_js_template(json_text(body)), SEND="body")
    return _fill(_JAVASCRIPT, URL=_endpoint(base_url), BODY=json_text(body), SEND="JSON.stringify(body)")


# The language's name -> its program for (base URL, request body).
PROGRAMS: dict[str, Callable[[str, dict], str]] = {
    "curl": _curl,
    "python-requests": _python_requests,
    "python-openai": _python_openai,
    "go": _go,
    "javascript": _javascript,
}
