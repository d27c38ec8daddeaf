"""Settings.from_env: environment, .env file, defaults, and no key in repr."""

from __future__ import annotations

import pytest

from sfui.budget_limits import VARIABLES
from sfui.config import DEFAULT_BASE_URL, Settings

SETTING_VARS = (
    "SILICONFLOW_API_KEY",
    "SILICONFLOW_BASE_URL",
    "SFUI_DEFAULT_MODEL",
    "SFUI_CONNECT_TIMEOUT",
    "SFUI_READ_TIMEOUT",
    "SFUI_MAX_RETRIES",
    "SFUI_BACKOFF_FACTOR",
    "SFUI_CONCURRENCY_LIMIT",
    "SFUI_PRICES",
    "SFUI_CURRENCY",
    *VARIABLES.values(),
    "SFUI_TRUSTED_PROXIES",
    "SFUI_DATA_DIR",
    "SPACE_ID",
)


@pytest.fixture
def clean_env(monkeypatch):
    """No setting variables; any that a test (or load_dotenv) sets are removed afterwards.

    setenv before delenv makes monkeypatch remember the variable, so one that
    load_dotenv writes into os.environ is undone at teardown too."""
    for name in SETTING_VARS:
        monkeypatch.setenv(name, "placeholder")
        monkeypatch.delenv(name)
    return monkeypatch


def write_dotenv(tmp_path, text: str) -> str:
    path = tmp_path / ".env"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_defaults(clean_env, tmp_path):
    settings = Settings.from_env(write_dotenv(tmp_path, ""))
    assert settings == Settings()
    assert settings.api_key is None
    assert settings.base_url == DEFAULT_BASE_URL == "https://api.siliconflow.cn/v1"
    assert (settings.connect_timeout, settings.read_timeout, settings.max_retries) == (10.0, 300.0, 2)


def test_reads_the_environment(clean_env, tmp_path):
    clean_env.setenv("SILICONFLOW_API_KEY", "  sk-from-env  ")
    clean_env.setenv("SILICONFLOW_BASE_URL", "https://api.siliconflow.com/v1/")
    clean_env.setenv("SFUI_DEFAULT_MODEL", "deepseek-ai/DeepSeek-V3")
    clean_env.setenv("SFUI_CONNECT_TIMEOUT", "3.5")
    clean_env.setenv("SFUI_READ_TIMEOUT", "120")
    clean_env.setenv("SFUI_MAX_RETRIES", "5")
    clean_env.setenv("SFUI_CONCURRENCY_LIMIT", "8")
    settings = Settings.from_env(write_dotenv(tmp_path, ""))
    assert settings.api_key == "sk-from-env"
    assert settings.base_url == "https://api.siliconflow.com/v1"  # trailing slash stripped
    assert settings.default_model == "deepseek-ai/DeepSeek-V3"
    assert (settings.connect_timeout, settings.read_timeout) == (3.5, 120.0)
    assert (settings.max_retries, settings.concurrency_limit) == (5, 8)


def test_reads_a_dotenv_file(clean_env, tmp_path):
    path = write_dotenv(tmp_path, "SILICONFLOW_API_KEY=sk-from-file\nSFUI_READ_TIMEOUT=42\n"
                                  "SILICONFLOW_BASE_URL=http://127.0.0.1:9/v1///\n")
    settings = Settings.from_env(path)
    assert settings.api_key == "sk-from-file"
    assert settings.read_timeout == 42.0
    assert settings.base_url == "http://127.0.0.1:9/v1"


def test_environment_wins_over_dotenv(clean_env, tmp_path):
    # A Space secret must beat a stale .env committed next to the app.
    clean_env.setenv("SILICONFLOW_API_KEY", "sk-from-env")
    path = write_dotenv(tmp_path, "SILICONFLOW_API_KEY=sk-from-file\nSFUI_MAX_RETRIES=7\n")
    settings = Settings.from_env(path)
    assert settings.api_key == "sk-from-env"
    assert settings.max_retries == 7  # only in the file: the file still counts


def test_blank_and_invalid_values_fall_back_to_defaults(clean_env, tmp_path):
    clean_env.setenv("SILICONFLOW_API_KEY", "   ")
    clean_env.setenv("SFUI_READ_TIMEOUT", "soon")
    clean_env.setenv("SFUI_MAX_RETRIES", "")
    settings = Settings.from_env(write_dotenv(tmp_path, ""))
    assert settings.api_key is None
    assert settings.read_timeout == 300.0
    assert settings.max_retries == 2


def test_repr_never_shows_the_key():
    secret = "sk-very-secret-value-123"
    settings = Settings(api_key=secret)
    assert secret not in repr(settings)
    assert secret not in str(settings)
    client = settings.client()
    assert secret not in repr(client)
    assert "key=set" in repr(client)


def test_client_strips_trailing_slash_and_takes_timeouts_from_settings():
    settings = Settings(base_url="http://127.0.0.1:9/v1/", connect_timeout=2.0, read_timeout=7.0, max_retries=4,
                        backoff_factor=0.5)
    client = settings.client(api_key="sk-x")
    assert client.base_url == "http://127.0.0.1:9/v1"
    assert client.timeout == (2.0, 7.0)
    assert client.max_retries == 4 and client.backoff_factor == 0.5
    assert client.has_key
