"""The "View code" snippets, run for real against the fake SiliconFlow server:
Python (requests and openai) with this Python, curl with curl and jq, Go with
``go run`` and JavaScript with ``node``. A missing runtime is a visible skip
with its reason, never a silent pass.

Each run must print the fake server's answer (and, for a reasoning model, the
thinking first), and the body the server received must equal the snippet's
body, which is ``request_body(...)``: the body the app's Send posts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sfui.codegen import LANGUAGES, request_body, snippet
from sfui.params import Controls
from tests.support import TEST_KEY
from tests.support.sfserver import _default_scenario
from tests.test_codegen import ALL_FIELDS, HISTORY, TRICKY, body_in_snippet

RUN_TIMEOUT = 180  # `go run` compiles first: slow on two busy cores

# Programs run as processes of their own, Go compiled first: the slow stage of .ci/run,
# and each test may take RUN_TIMEOUT (more than pyproject's default timeout) for its run.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(RUN_TIMEOUT + 60)]


def _command(language: str, path: Path) -> list[str]:
    """How to run a snippet saved at ``path``, or a skip naming what is missing."""
    if language in ("python-requests", "python-openai"):
        pytest.importorskip("openai" if language == "python-openai" else "requests")
        return [sys.executable, str(path)]
    needs = {"curl": ["curl", "jq"], "go": ["go"], "javascript": ["node"]}[language]
    missing = [tool for tool in needs if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{language} snippet not run: {', '.join(missing)} not installed "
                    f"(.ci/run installs them with apt: curl jq golang-go nodejs)")
    return {"curl": ["bash", str(path)], "go": ["go", "run", str(path)], "javascript": ["node", str(path)]}[language]


SUFFIX = {"curl": ".sh", "python-requests": ".py", "python-openai": ".py", "go": ".go", "javascript": ".js"}


def run_snippet(language: str, text: str, tmp_path: Path) -> str:
    """Run a snippet with the key in its environment; its standard output."""
    path = tmp_path / f"snippet{SUFFIX[language]}"
    path.write_text(text, encoding="utf-8")
    command = _command(language, path)
    env = {**os.environ, "SILICONFLOW_API_KEY": TEST_KEY, "PYTHONIOENCODING": "utf-8",
           # Go: the standard library only, nothing fetched, no C compiler needed.
           "GOPROXY": "off", "GOTOOLCHAIN": "local", "CGO_ENABLED": "0"}
    env.setdefault("GOCACHE", str(tmp_path.parent / "go-cache"))
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, timeout=RUN_TIMEOUT)
    stdout, stderr = result.stdout.decode("utf-8"), result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, f"{language} snippet failed ({result.returncode}):\n{stderr}\n{stdout}"
    return stdout


CASES = {
    "echo": ("Qwen/Qwen3-8B", [], "Hello from the code view", "", {}),
    "reasoning": ("fake/reasoning", [], "Why is the sky blue?", "", {}),
    # Quotes of every kind, backticks, ${...}, Chinese, newlines, a history and every field set.
    "tricky": ("Qwen/Qwen3-8B", HISTORY, TRICKY, "Be brief. It's fine.", ALL_FIELDS),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("language", LANGUAGES)
def test_snippet_runs_and_sends_the_body(language, case, fake, tmp_path):
    model, history, message, system, fields = CASES[case]
    body = request_body(model, history, message, system, Controls(**fields).to_params())
    text = snippet(language, fake.base_url, body)
    assert body_in_snippet(language, text) == body

    out = run_snippet(language, text, tmp_path)

    assert fake.chat_requests() == [body], "the server received another body than the snippet's"
    assert [r.headers.get("Authorization") for r in fake.chat_received()] == [f"Bearer {TEST_KEY}"]
    scenario = _default_scenario(body)  # what the fake answered this body with
    answer = scenario.answer  # "tricky": max_tokens may cut the echo short
    if case != "tricky":
        assert answer == "Echo: " + message
    assert answer and answer in out, out
    if case == "reasoning":
        thinking = scenario.reasoning
        assert thinking and f"Thinking:\n{thinking}\n\nAnswer:\n{answer}" in out, out
    else:
        assert "Thinking:" not in out
