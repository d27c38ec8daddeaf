"""What the page's own scripts share: their texts in both languages, and the language
the browser picks them in.

The conversation search, the page previews and the storage meter run in the browser
(no round trip per keystroke or per click), so the few words they write travel with
the page, in English and Chinese, from the one catalogue (sfui/i18n.py). The script
picks the language exactly as ``sfui.i18n.pick_language`` picks the server's and as
Gradio picks the labels' (Chinese only for the Chinese locales Gradio ships), so
the page never mixes languages.
"""

from __future__ import annotations

import json

from ..i18n import GRADIO_ZH_LOCALES, STRINGS

# A JavaScript expression: "zh" or "en", from the browser's first language.
LANGUAGE_JS = (f"({json.dumps([locale.lower() for locale in GRADIO_ZH_LOCALES])}"
               ".includes((navigator.language || '').toLowerCase()) ? 'zh' : 'en')")


def texts_js(*keys: str) -> str:
    """A JavaScript expression: the catalogue's ``keys`` in the browser's language, as an
    object by key. Placeholders (``{query}``) are left for the script to fill in."""
    table = {lang: {key: STRINGS[lang][key] for key in keys} for lang in ("en", "zh")}
    # "</" could end the <script> the head carries these in.
    as_json = json.dumps(table, ensure_ascii=False).replace("</", "<\\/")
    return f"({as_json})[{LANGUAGE_JS}]"
