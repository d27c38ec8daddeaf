"""The sidebar's search and storage line, in English and Chinese (merged into sfui/i18n.py's STRINGS).

``label_`` keys are the page's labels (translated in the browser by gr.I18n); ``search_`` texts are
written by the search script in the page (sfui/ui/conversation_search.py), which fills ``{query}``,
``{shown}`` and ``{total}`` itself; ``storage_`` texts are written by the server, in the visitor's
language, from what the page measured (sfui/storage_room.py)."""

EN: dict[str, str] = {
    "label_conv_search": "Search conversations",
    "label_conv_search_placeholder": "Search titles and messages…",
    "search_found": "{shown} of {total} conversations",
    "search_none": "No conversation contains “{query}”",
    "storage_line": "Storage for this site: {percent}% used, {free} characters free",
    "storage_low": "⚠️ Storage nearly full: {percent}% used, only {free} characters free{others}. "
                   "Export old conversations and delete them",
    "storage_others": " ({others} of them taken by other data of this site)",
    "storage_not_saved": "Not saved: this browser has no room left for this site ({free} characters free). "
                         "The conversation stays on screen: export it, or delete old conversations to make room, "
                         "and the next answer is saved",
    "storage_unavailable": "⚠️ This browser lets this site store nothing: conversations cannot be saved here",
}

ZH: dict[str, str] = {
    "label_conv_search": "搜索对话",
    "label_conv_search_placeholder": "搜索标题和消息…",
    "search_found": "{total} 个对话中有 {shown} 个匹配",
    "search_none": "没有对话包含“{query}”",
    "storage_line": "本站存储空间：已用 {percent}%，还剩 {free} 个字符",
    "storage_low": "⚠️ 存储空间快满了：已用 {percent}%，只剩 {free} 个字符{others}。请导出旧对话，然后删除它们",
    "storage_others": "（本站其他数据占用其中 {others} 个字符）",
    "storage_not_saved": "未保存：本浏览器留给本站的存储空间不够了（只剩 {free} 个字符）。对话仍在屏幕上："
                         "请导出它，或删除旧对话腾出空间，之后的回答就会保存",
    "storage_unavailable": "⚠️ 本浏览器不允许本站存储任何数据：对话无法保存在这里",
}
