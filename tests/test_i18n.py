"""One catalogue, one language choice: every string in both languages, every key the
code asks for present, and the browser's labels in the same language as the server's text."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from sfui.api import errors
from sfui.i18n import (
    GRADIO_ZH_LOCALES,
    PAGE_PREFIXES,
    STRINGS,
    first_language,
    gradio_translations,
    language,
    pick_language,
    t,
)

SFUI = Path(__file__).resolve().parent.parent / "sfui"


# --- the catalogue ------------------------------------------------------------------------


def test_the_catalogue_has_english_and_chinese_with_the_same_keys():
    assert set(STRINGS) == {"en", "zh"}
    en, zh = set(STRINGS["en"]), set(STRINGS["zh"])
    assert en - zh == set(), "only in English"
    assert zh - en == set(), "only in Chinese"
    for lang, table in STRINGS.items():
        empty = [key for key, text in table.items() if not isinstance(text, str) or not text.strip()]
        assert empty == [], (lang, empty)


def _fields(text: str) -> list[tuple[str, str]]:
    return sorted((name, spec or "") for _, name, spec, _ in string.Formatter().parse(text) if name is not None)


def test_every_key_has_the_same_placeholders_in_both_languages():
    different = {
        key: (_fields(STRINGS["en"][key]), _fields(STRINGS["zh"][key]))
        for key in STRINGS["en"]
        if _fields(STRINGS["en"][key]) != _fields(STRINGS["zh"].get(key, ""))
    }
    assert different == {}


def _literal_keys() -> dict[str, list[str]]:
    """Every key sfui/ passes as a literal: ``t(lang, "key")``, ``label("key")``,
    ``InputError("key", ...)``; a ``"prefix_" + name`` key is listed as ``prefix_*``."""
    found: dict[str, list[str]] = {"t": [], "label": [], "InputError": []}
    for path in sorted(SFUI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            position = {"t": 1, "label": 0, "InputError": 0}.get(func)
            if position is None or len(node.args) <= position:
                continue
            arg = node.args[position]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found[func].append(arg.value)
            elif isinstance(arg, ast.BinOp) and isinstance(arg.left, ast.Constant) and isinstance(arg.left.value, str):
                found[func].append(arg.left.value + "*")
    return found


def _exists(key: str, table: dict[str, str]) -> bool:
    if key.endswith("*"):
        return any(k.startswith(key[:-1]) for k in table)
    return key in table


def test_every_key_the_code_uses_exists():
    used = _literal_keys()
    # the scan sees the calls (it cannot pass by finding nothing)
    assert {"thinking", "no_key_toast", "usage_empty", "bad_input", "status_*"} <= set(used["t"])
    assert len(used["label"]) >= 10
    missing = [key for key in used["t"] + used["InputError"] if not _exists(key, STRINGS["en"])]
    assert missing == []
    page = gradio_translations()["en"]
    missing_labels = [key for key in used["label"] if not _exists(key, page)]
    assert missing_labels == [], "used as labels but not sent to the browser"


def test_every_request_field_label_and_help_reaches_the_browser():
    from sfui.params import FIELDS

    page = gradio_translations()
    for field in FIELDS:
        for locale in page:
            assert page[locale].get(field.label_key) and page[locale].get(field.help_key), (locale, field.name)


def test_a_missing_key_is_an_error_not_a_blank():
    with pytest.raises(KeyError):
        t("en", "no_such_key")
    with pytest.raises(KeyError):
        t("zh", "no_such_key")


# --- errors ------------------------------------------------------------------------------------


def _error_classes() -> list[type[errors.SiliconFlowError]]:
    classes = [value for value in vars(errors).values() if isinstance(value, type)]
    classes = [cls for cls in classes if issubclass(cls, errors.SiliconFlowError)]
    assert len(classes) >= 20
    return classes


@pytest.mark.parametrize("cls", _error_classes(), ids=lambda cls: cls.__name__)
def test_every_error_class_has_a_title_and_hint_in_both_languages(cls):
    for part in (cls.title, cls.hint):
        en, zh = part("en"), part("zh")
        assert en.strip() and zh.strip()
        assert en != zh  # really translated, not an English fallback
        assert re.search(r"[\u4e00-\u9fff]", zh), zh
        assert "{" not in en + zh  # every placeholder filled
    own = vars(cls).get("key")
    if own:
        assert f"error_{own}_title" in STRINGS["en"], "a class that names its entry has at least its own title"


def test_error_entries_are_each_used_by_one_class():
    keys = [vars(cls)["key"] for cls in _error_classes() if "key" in vars(cls)]
    assert len(keys) == len(set(keys))
    named = {f"error_{key}_{part}" for key in keys for part in ("title", "hint")}
    entries = {key for key in STRINGS["en"] if re.fullmatch(r"error_\w+_(title|hint)", key)}
    assert entries - named == set(), "entries no error class uses"


def test_the_switch_host_sentence_is_one_entry():
    for lang in ("en", "zh"):
        sentence = t(lang, "error_switch_host")
        assert errors.ServerError.hint(lang).endswith(sentence)
        assert errors.APIConnectionError.hint(lang).endswith(sentence)
        assert errors.SiliconFlowError.hint(lang).endswith(sentence)
        assert sentence not in STRINGS[lang]["error_server_hint"]  # written once, filled in


def test_an_error_without_its_own_hint_uses_its_parents():
    assert errors.ConnectionRefused.hint("zh") == errors.APIConnectionError.hint("zh")
    assert errors.UpstreamStreamError.hint("en") == errors.StreamError.hint("en")
    assert errors.APIStatusError.title("en") == errors.SiliconFlowError.title("en")
    assert errors.ConnectionRefused.title("en") != errors.APIConnectionError.title("en")


def test_user_message_reads_the_catalogue_in_either_language():
    exc = errors.RateLimitError("slow down", status=429, code=50603, trace_id="ti-1")
    assert exc.user_message("en") == (
        "Rate limit reached. Wait a moment and try again, or pick another model (limits are per model)."
        " (HTTP 429, code 50603, slow down) Trace ID: ti-1"
    )
    assert exc.user_message("zh") == (
        "请求过于频繁，已触发限流。请稍等片刻再试，或换一个模型（限流按模型计算）。"
        "（HTTP 429，错误码 50603，slow down） 追踪 ID：ti-1"
    )
    assert exc.user_message("zh-CN") == exc.user_message("zh")
    assert exc.user_message("en-US") == exc.user_message("fr") == exc.user_message("en")


# --- one language choice ----------------------------------------------------------------------


@pytest.mark.parametrize("code, expected", [
    ("zh", "zh"), ("zh-CN", "zh"), ("ZH-tw", "zh"), ("zh_HK", "zh"), (" zh ", "zh"),
    ("en", "en"), ("en-US", "en"), ("fr", "en"), ("", "en"), (None, "en"), ("zhx", "en"),
])
def test_language_normalises_any_code(code, expected):
    assert language(code) == expected


def test_t_takes_any_code_language_takes():
    assert t("zh-CN", "thinking") == t("zh", "thinking") == STRINGS["zh"]["thinking"]
    assert t("fr", "thinking") == t("en", "thinking") == STRINGS["en"]["thinking"]


@pytest.mark.parametrize("header, first", [
    ("zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"),
    ("en;q=0.5, zh-TW;q=0.9", "zh-TW"),
    ("en-US,zh-CN", "en-US"),
    ("zh-CN;q=0,fr", "fr"),
    ("fr;q=oops,de;q=0.1", "de"),
    ("", ""),
    (None, ""),
])
def test_first_language(header, first):
    assert first_language(header) == first


@pytest.mark.parametrize("header, expected", [
    ("zh-CN,zh;q=0.9", "zh"),
    ("zh-TW,zh;q=0.9,en-US;q=0.8", "zh"),
    ("zh-cn", "zh"),  # a header's case means nothing
    ("en;q=0.5,zh-CN;q=0.9", "zh"),
    ("en-US,en;q=0.9", "en"),
    ("en-US,en;q=0.9,zh-CN;q=0.8", "en"),
    ("fr-FR,zh-CN;q=0.9", "en"),  # Gradio shows French and English, not Chinese
    ("zh", "en"),  # Gradio has no plain "zh" locale: its labels are English (gradio#11087)
    ("zh-HK,zh;q=0.9", "en"),
    ("zh-SG", "en"),
    ("zh-Hans-CN", "en"),
    ("zh-CN;q=0,en", "en"),
    ("*", "en"),
    ("", "en"),
    (None, "en"),
])
def test_pick_language(header, expected):
    assert pick_language(header) == expected


# --- the browser's labels agree with the server's text -----------------------------------------


def _gradio_assets() -> Path:
    import gradio

    assets = Path(gradio.__file__).parent / "templates" / "frontend" / "assets"
    assert assets.is_dir(), assets
    return assets


def _gradio_core() -> str:
    cores = [p for p in _gradio_assets().glob("core-*.js") if '"./lang/en.json"' in p.read_text(encoding="utf-8")]
    assert len(cores) == 1, cores
    return cores[0].read_text(encoding="utf-8")


def _gradio_locales() -> set[str]:
    """The locales the installed Gradio frontend ships (its ``./lang/*.json``)."""
    locales = set(re.findall(r'"\./lang/([\w-]+)\.json"', _gradio_core()))
    assert {"en", "fr"} <= locales, locales
    return locales


def _gradio_groups() -> set[str]:
    """Gradio's own i18n groups (the top-level keys of its en.json)."""
    chunk = re.search(r'"\./lang/en\.json":\(\)=>\w+\(\(\)=>import\(`\./(en-[\w-]+\.js)`\)', _gradio_core())
    assert chunk, "the en.json chunk"
    exports = re.search(r"export\{([^}]*)\}", (_gradio_assets() / chunk.group(1)).read_text(encoding="utf-8"))
    groups = set(re.findall(r"\bas (\w+)", exports.group(1))) - {"default", "_name"}
    assert {"chatbot", "common", "code", "status"} <= groups, groups
    return groups


def _gradio_locale(navigator_language: str, shipped: set[str]) -> str:
    """As Gradio 6.31's setupi18n picks the locale: the browser's language if Gradio ships it,
    else its first part if Gradio ships that, else English."""
    if navigator_language in shipped:
        return navigator_language
    primary = navigator_language.split("-")[0]
    return primary if primary in shipped else "en"


def _gradio_text(translations: dict[str, dict[str, str]], locale: str, key: str) -> str:
    """As svelte-i18n looks a key up: "zh-CN", then "zh", then the fallback "en"."""
    parts = locale.split("-")
    for candidate in ["-".join(parts[:n]) for n in range(len(parts), 0, -1)] + ["en"]:
        if key in translations.get(candidate, {}):
            return translations[candidate][key]
    raise KeyError(key)


def test_gradio_ships_the_chinese_locales_pick_language_knows():
    assert {locale for locale in _gradio_locales() if locale.split("-")[0] == "zh"} == set(GRADIO_ZH_LOCALES)


def test_no_label_key_is_a_gradio_group():
    clashes = set(gradio_translations()["en"]) & _gradio_groups()
    assert clashes == set()


def test_the_browser_gets_the_page_text_and_only_that():
    page = gradio_translations()
    assert set(page) == {"en", "zh", *GRADIO_ZH_LOCALES}
    expected = {key for key in STRINGS["en"] if key.startswith(PAGE_PREFIXES)}
    assert {"label_model", "label_send", "label_api_key", "label_title"} <= expected
    for locale, table in page.items():
        assert set(table) == expected, locale


@pytest.mark.parametrize("locale", ["zh", "zh-CN", "zh-TW"])
def test_gradio_translations_are_chinese_for_chinese_locales(locale):
    page = gradio_translations()
    assert page[locale] == {key: STRINGS["zh"][key] for key in page["en"]}
    assert page[locale]["label_send"] == "发送"


def test_gradio_translations_are_english_for_english():
    assert gradio_translations()["en"]["label_send"] == "Send"


@pytest.mark.parametrize("navigator_language, expected", [
    ("zh-CN", "zh"), ("zh-TW", "zh"),
    ("zh", "en"), ("zh-HK", "en"), ("zh-SG", "en"), ("zh-Hant-TW", "en"),
    ("en-US", "en"), ("en", "en"), ("en-GB", "en"), ("fr-FR", "en"), ("ja", "en"), ("pt-BR", "en"),
])
def test_labels_and_server_text_are_in_the_same_language(navigator_language, expected):
    """Whatever the browser's first language, Gradio's labels (as its frontend resolves them)
    and the text the server writes (from the Accept-Language header) agree."""
    header = f"{navigator_language},en;q=0.5"
    lang = pick_language(header)
    assert lang == expected
    locale = _gradio_locale(navigator_language, _gradio_locales())
    translations = gradio_translations()
    for key in translations["en"]:
        assert _gradio_text(translations, locale, key) == t(lang, key), (navigator_language, locale, key)
