"""The alternatives bar's strings (sfui/ui/alt_bar.py), in English and Chinese (merged into
sfui/i18n.py's STRINGS). Written by the server in the visitor's language."""

EN: dict[str, str] = {
    # "‹ 2 / 3 ›" under the chat: which answer (or wording of a question) is shown, of how many.
    "alt_answer": "Answer {shown} / {count}",
    "alt_question": "Question {shown} / {count}",
    "alt_busy": "An answer is still coming: switch once it has ended (or press Stop).",
}

ZH: dict[str, str] = {
    "alt_answer": "回答 {shown} / {count}",
    "alt_question": "问题 {shown} / {count}",
    "alt_busy": "回答仍在生成：请等它结束（或点击停止）后再切换。",
}
