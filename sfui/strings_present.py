"""The present feature's strings a visitor reads, in English and Chinese (merged into sfui/i18n.py's STRINGS)."""

EN: dict[str, str] = {
    # Page labels (translated by gr.I18n in the browser).
    "label_present": "Present",
    "label_deck_prev": "← Previous",
    "label_deck_next": "Next →",
    # Written by the server in the visitor's language.
    "present_deck_start": "{total} prepared prompts: press → (or Next) for the first one.",
    "present_deck_empty": "No prepared prompts.",
    "present_deck_position": "{index} / {total}",
    "present_deck_model": "model: {model}",
    "present_deck_compare": "Compare: {models}",
    "present_deck_hint": "Enter sends it; ← → step through the deck.",
    "present_qr_caption": "Open this page on your phone",
    "present_qr_too_long": "This address is too long for a QR code: {url}",
}

ZH: dict[str, str] = {
    "label_present": "演示模式",
    "label_deck_prev": "← 上一个",
    "label_deck_next": "下一个 →",
    "present_deck_start": "已准备 {total} 个提示：按 →（或“下一个”）放入第一个。",
    "present_deck_empty": "没有准备好的提示。",
    "present_deck_position": "{index} / {total}",
    "present_deck_model": "模型：{model}",
    "present_deck_compare": "对比：{models}",
    "present_deck_hint": "按回车发送；← → 切换提示。",
    "present_qr_caption": "用手机扫码打开本页",
    "present_qr_too_long": "这个地址太长，无法生成二维码：{url}",
}
