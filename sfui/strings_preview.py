"""Page previews' texts, in English and Chinese (merged into sfui/i18n.py's STRINGS); the preview
script in the page (sfui/ui/html_preview.py) writes them in the browser's language."""

EN: dict[str, str] = {
    "preview_show": "▶ Preview",
    "preview_hide": "Hide preview",
    "preview_frame_title": "Preview of the page in the answer (sandboxed: it cannot reach this page, "
                           "its storage, its cookies or the server)",
}

ZH: dict[str, str] = {
    "preview_show": "▶ 预览",
    "preview_hide": "收起预览",
    "preview_frame_title": "回答中网页的预览（在沙盒中运行：无法访问本页、本页的存储、Cookie 或服务器）",
}
