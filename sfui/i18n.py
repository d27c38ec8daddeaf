"""Every string the app shows, in English and Chinese: one keyed catalogue.

``STRINGS[lang][key]`` holds the text; ``t(lang, key, **values)`` fills it in.
Keys are grouped by prefix: ``label_``/``field_``/``help_`` are the page's
static text, which Gradio translates in the browser (``gradio_translations()``
feeds ``gr.I18n``); ``error_`` are the error classes' titles and hints
(``sfui/errors.py``); ``input_`` say why a value cannot be sent; the rest is
text the server writes while the page runs (status lines, notices, the usage
table).

There is one language choice: ``language()`` turns any language code into
"en" or "zh", and ``pick_language()`` picks it from the browser's
Accept-Language header the same way Gradio's frontend picks the locale of the
labels, so that a page never mixes English labels with Chinese text.
"""

from __future__ import annotations

from . import (
    strings_alternatives,
    strings_leaderboard,
    strings_present,
    strings_preview,
    strings_sessions,
    strings_share,
    strings_sidebar,
    strings_tools,
)
from .api.messages import EN as CLIENT_EN
from .api.messages import ZH as CLIENT_ZH
from .api.messages import language
from .strings_en import EN
from .strings_zh import ZH

# The client's error texts (sfui/api/messages.py) and each feature's own catalogue (sfui/strings_*.py)
# join the app's: one catalogue to translate from.
_FEATURES = (strings_leaderboard, strings_share, strings_present, strings_tools, strings_alternatives,
             strings_sessions, strings_sidebar, strings_preview)
STRINGS: dict[str, dict[str, str]] = {
    "en": {**EN, **CLIENT_EN, **{k: v for f in _FEATURES for k, v in f.EN.items()}},
    "zh": {**ZH, **CLIENT_ZH, **{k: v for f in _FEATURES for k, v in f.ZH.items()}},
}


# The Chinese locales Gradio's frontend ships (gradio 6.31: js/core/src/lang/zh-CN.json and
# zh-TW.json). Gradio shows gr.I18n labels in the browser's first language (navigator.language)
# when it ships that locale or the tag's first part ("pt-BR", "fr"), else in English: so "zh",
# "zh-HK" or "zh-SG" get English labels (gradio-app/gradio#11087), and only these get Chinese.
GRADIO_ZH_LOCALES = ("zh-CN", "zh-TW")

# The keys the page's static text uses: gradio_translations() sends only these to the browser.
# None can equal a Gradio i18n group ("status", "chatbot", "common", ...), which would show
# "[object Object]" instead of the text.
PAGE_PREFIXES = ("label_", "field_", "help_")


def first_language(accept_language: str | None) -> str:
    """The browser's first language in an Accept-Language header (the tag with the highest
    q; the first one of equals), or "" when there is none."""
    best, best_q = "", 0.0
    for part in (accept_language or "").split(","):
        tag, *params = (piece.strip() for piece in part.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if tag and q > best_q:
            best, best_q = tag, q
    return best


def pick_language(accept_language: str | None) -> str:
    """The visitor's language, "zh" or "en", from the browser's Accept-Language header,
    chosen as Gradio's frontend chooses the language of the labels: "zh" only when the
    browser's first language is a Chinese locale Gradio ships (GRADIO_ZH_LOCALES), so the
    text the server writes and the labels always agree."""
    first = first_language(accept_language).lower()
    return "zh" if first in {locale.lower() for locale in GRADIO_ZH_LOCALES} else "en"


def t(lang: str, key: str, **values: object) -> str:
    """The text of ``key`` in ``lang`` (any code ``language()`` takes), filled in with ``values``."""
    return STRINGS[language(lang)].get(key, STRINGS["en"][key]).format(**values)


def format_choices(lang: str, items: tuple) -> str:
    """``("a", "b", "c")`` as "a, b or c" (English) or "a、b 或 c" (Chinese)."""
    items = tuple(str(item) for item in items)
    if len(items) < 2:
        return "".join(items)
    return t(lang, "list_or", head=t(lang, "list_separator").join(items[:-1]), last=items[-1])


def gradio_translations() -> dict[str, dict[str, str]]:
    """The page's static text (the keys starting with PAGE_PREFIXES) by Gradio locale name,
    for ``gr.I18n(**gradio_translations())``. "en" is also Gradio's fallback; "zh" and every
    Chinese locale Gradio can choose (GRADIO_ZH_LOCALES) get the Chinese text, as
    ``pick_language`` gives the server's text."""
    en, zh = ({k: v for k, v in STRINGS[lang].items() if k.startswith(PAGE_PREFIXES)} for lang in ("en", "zh"))
    return {"en": en, "zh": zh, **{locale: zh for locale in GRADIO_ZH_LOCALES}}
