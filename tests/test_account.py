"""sfui.account: trying a key against the fake server, why a key failed, and the balance line."""

from __future__ import annotations

import socket
import threading

import pytest

from sfui.account import balance_text, check_key, currency_symbol, failure_text, fetch_balance, format_amount
from sfui.api import errors
from sfui.api.client import SiliconFlowClient
from sfui.i18n import t
from sfui.model_list import ModelDirectory
from tests.support import TEST_KEY
from tests.support.launch import free_port


def client_for(base_url: str, key: str = TEST_KEY, **options) -> SiliconFlowClient:
    return SiliconFlowClient(key, base_url, **options)


# --- the key check ----------------------------------------------------------------------------


def test_a_good_key_passes_with_the_live_model_list(fake):
    check = check_key(ModelDirectory(), client_for(fake.base_url), TEST_KEY)
    assert check.ok and check.problem is None
    assert check.models.live and set(check.models.ids) == set(fake.models)
    assert [r.path for r in fake.received] == ["/v1/models"]  # one cheap call


def test_a_wrong_key_fails_with_401_and_says_so_in_both_languages(fake):
    check = check_key(ModelDirectory(), client_for(fake.base_url, "sk-wrong-1"), "sk-wrong-1")
    assert not check.ok
    assert isinstance(check.problem, errors.AuthenticationError) and check.problem.status == 401
    assert "The API key was not accepted" in failure_text(check.problem, "en")
    assert errors.AuthenticationError.title("zh") in failure_text(check.problem, "zh")
    assert "Invalid token" in failure_text(check.problem, "en")  # the server's own words, for support


def test_a_wrong_base_url_fails_with_404(fake):
    base_url = fake.base_url.replace("/v1", "/wrong")
    check = check_key(ModelDirectory(), client_for(base_url), TEST_KEY)
    assert isinstance(check.problem, errors.NotFoundError)
    text = failure_text(check.problem, "en")
    assert text.startswith(t("en", "key_unchecked", reason="")) and "API address was not found" in text
    assert "HTTP 404" in text


def test_no_network_fails_with_connection_refused():
    check = check_key(ModelDirectory(), client_for(f"http://127.0.0.1:{free_port()}/v1"), TEST_KEY)
    assert isinstance(check.problem, errors.ConnectionRefused)
    assert errors.ConnectionRefused.title("zh") in failure_text(check.problem, "zh")


@pytest.fixture
def silent_server():
    """A server that accepts connections and never answers: a read timeout."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/v1"
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    listener.close()


def test_a_timeout_fails_with_the_cards_hint_not_the_chats(silent_server, monkeypatch):
    client = client_for(silent_server)
    real_get = client._get
    monkeypatch.setattr(client, "_get", lambda path, params=None, timeout=None: real_get(path, params, (1, 0.5)))
    check = check_key(ModelDirectory(), client, TEST_KEY)
    assert isinstance(check.problem, errors.ReadTimeoutError)
    for lang in ("en", "zh"):
        text = failure_text(check.problem, lang)
        assert errors.ReadTimeoutError.title(lang) in text
        assert t(lang, "key_check_hint") in text
        assert errors.ReadTimeoutError.hint(lang) not in text  # "press Retry" means nothing here


def test_no_failure_text_carries_the_key(fake):
    for base_url in (fake.base_url, fake.base_url.replace("/v1", "/x"), f"http://127.0.0.1:{free_port()}/v1"):
        check = check_key(ModelDirectory(), client_for(base_url, "sk-wrong-777"), "sk-wrong-777")
        for lang in ("en", "zh"):
            assert "wrong-777" not in failure_text(check.problem, lang)


# --- the balance ------------------------------------------------------------------------------


def test_fetch_balance_reads_the_total_as_a_string(fake):
    fake.total_balance = "12.5"
    assert fetch_balance(client_for(fake.base_url)) == "12.5"
    assert fake.received[-1].path == "/v1/user/info"


def test_fetch_balance_is_quiet_when_user_info_fails_but_the_key_is_good(fake):
    fake.user_info_status = 410
    client = client_for(fake.base_url)
    assert check_key(ModelDirectory(), client, TEST_KEY).ok  # /models works: the key is good
    assert fetch_balance(client) is None  # and the balance is simply not shown
    assert fetch_balance(client_for(fake.base_url, "sk-wrong")) is None
    assert fetch_balance(client_for(f"http://127.0.0.1:{free_port()}/v1")) is None


def test_fetch_balance_asks_nothing_without_a_key(fake):
    assert fetch_balance(SiliconFlowClient(None, fake.base_url)) is None
    assert fake.received == []


@pytest.mark.parametrize("base_url, symbol", [
    ("https://api.siliconflow.cn/v1", "¥"),
    ("https://api.siliconflow.com/v1", "$"),
    ("https://API.SiliconFlow.CN/v1/", "¥"),
    ("http://127.0.0.1:8080/v1", ""),
    ("https://notsiliconflow.cn/v1", ""),
    ("https://siliconflow.cn.example.org/v1", ""),
])
def test_currency_follows_the_host(base_url, symbol):
    assert currency_symbol(base_url) == symbol


@pytest.mark.parametrize("total, shown", [
    ("88.88", "¥88.88"),
    ("1234.5", "¥1,234.50"),
    ("0", "¥0.00"),
    ("0.009", "¥0.00"),  # cut, never rounded up
    ("12.999", "¥12.99"),
    ("-3.2", "-¥3.20"),
    (" 7 ", "¥7.00"),
    ("1e3", "¥1,000.00"),
])
def test_format_amount(total, shown):
    assert format_amount(total, "https://api.siliconflow.cn/v1") == shown


@pytest.mark.parametrize("total", ["", "abc", "NaN", "Infinity", "1,000"])
def test_format_amount_refuses_what_is_not_a_number(total):
    assert format_amount(total, "https://api.siliconflow.cn/v1") is None


def test_balance_text_in_both_languages():
    assert balance_text("88.88", "en", "https://api.siliconflow.com/v1") == "Balance: **$88.88**"
    assert balance_text("88.88", "zh", "https://api.siliconflow.cn/v1") == "余额：**¥88.88**"
    assert balance_text(None, "en", "https://api.siliconflow.cn/v1") == ""
    assert balance_text("oops", "en", "https://api.siliconflow.cn/v1") == ""


def test_an_empty_balance_says_the_free_models_still_answer():
    for lang in ("en", "zh"):
        assert balance_text("0.00", lang, "https://api.siliconflow.cn/v1").endswith(t(lang, "balance_empty_hint"))
        assert balance_text("-1", lang, "https://api.siliconflow.cn/v1").endswith(t(lang, "balance_empty_hint"))
        assert t(lang, "balance_empty_hint") not in balance_text("0.01", lang, "https://api.siliconflow.cn/v1")
