"""The share feature's strings a visitor reads, in English and Chinese (merged into sfui/i18n.py's STRINGS).

``label_``/``help_`` keys are the page's labels (translated in the browser by gr.I18n); the rest is
text the server writes (the banner, the messages), in the visitor's language."""

EN: dict[str, str] = {
    "label_share": "Share link",
    "label_share_with_answers": "With the answers",
    "help_share_with_answers": "Untick to share only the questions and the settings",
    "help_compare_share_with_answers": "Untick to share only the question and the models",
    "label_share_link": "Link (copy it)",
    "label_share_run": "▶ Run again",
    "label_compare_share": "Share this comparison",
    "share_ready": "The link holds the model, the request fields, the system prompt and the messages{answers}, "
                   "in its fragment (after #), which browsers never send to a server: nothing is stored anywhere. "
                   "It never holds your key. {length} characters.",
    "share_ready_answers": " with the answers",
    "share_ready_no_answers": " without the answers",
    "share_no_qr": "No QR code: the link is {length} characters, more than a QR code holds (about {limit}).",
    "share_pictures_left_out": "{count} picture(s) left out: a link carries text only.",
    "share_refused": "No link: {problem}.",
    "share_nothing": "there is no question to share yet",
    "share_too_long": "the link would be {length} characters; the limit is {limit}. "
                      "Save the conversation as a file instead: Export JSON in the sidebar",
    "share_banner": "**A shared conversation** with `{model}`{answers}. Nothing was saved. "
                    "**Run again** sends the same request with your key or the demo's budget.",
    "share_banner_no_answers": " (shared without the answers)",
    "share_banner_compare_answers": "**A shared comparison** of {models}, with each pane's answers as they were "
                                    "shared. Nothing was saved. Its question is in the box: press Send to ask it "
                                    "again with your key or the demo's budget.",
    "share_banner_compare": "**A shared comparison** of {models} is in the Compare tab with its question in "
                            "the box: press Send to run it.",
    "share_open_failed": "⚠️ This shared link cannot be opened: {problem}. Nothing was changed.",
    "share_bad_too_long": "the link is longer than the 8,000 characters a link may have",
    "share_bad_base64": "its text is damaged (it is not base64url)",
    "share_bad_deflate": "its data is damaged (it does not decompress)",
    "share_bad_json": "its data is not valid JSON",
    "share_bad_too_large": "it holds more than 1,000,000 bytes",
    "share_not_share": "it is not an sfui share link",
    "share_version": "it is in share format {version}; this sfui reads format {supported}",
    "share_field": "its field {field} is missing or not valid",
    "share_run_nothing": "Open a shared link first.",
}

ZH: dict[str, str] = {
    "label_share": "分享链接",
    "label_share_with_answers": "包含回答",
    "help_share_with_answers": "取消勾选则只分享问题和设置",
    "help_compare_share_with_answers": "取消勾选则只分享问题和模型",
    "label_share_link": "链接（可复制）",
    "label_share_run": "▶ 再次运行",
    "label_compare_share": "分享这次对比",
    "share_ready": "链接在片段（# 之后）中包含模型、请求参数、系统提示词和消息{answers}；浏览器从不把片段发送给服务器，"
                   "任何地方都不保存数据。链接从不包含你的密钥。共 {length} 个字符。",
    "share_ready_answers": "（含回答）",
    "share_ready_no_answers": "（不含回答）",
    "share_no_qr": "没有二维码：链接有 {length} 个字符，超过二维码的容量（约 {limit}）。",
    "share_pictures_left_out": "已省略 {count} 张图片：链接只携带文字。",
    "share_refused": "未生成链接：{problem}。",
    "share_nothing": "还没有可分享的问题",
    "share_too_long": "链接将有 {length} 个字符，上限为 {limit}。请改为把对话保存为文件：侧栏中的“导出 JSON”",
    "share_banner": "**分享的对话**，模型 `{model}`{answers}。没有保存任何内容。"
                    "**再次运行** 会用你的密钥或演示额度发送同样的请求。",
    "share_banner_no_answers": "（分享时未包含回答）",
    "share_banner_compare_answers": "**分享的对比**（{models}），各窗格显示分享时的回答。未保存任何内容。"
                                    "问题已在输入框中：按发送即可用你的密钥或演示额度再问一次。",
    "share_banner_compare": "**分享的对比**（{models}）已在“对比”标签页中打开，问题已在输入框中：按发送即可运行。",
    "share_open_failed": "⚠️ 无法打开这个分享链接：{problem}。没有任何改动。",
    "share_bad_too_long": "链接超过了允许的 8,000 个字符",
    "share_bad_base64": "它的文字已损坏（不是 base64url）",
    "share_bad_deflate": "它的数据已损坏（无法解压）",
    "share_bad_json": "它的数据不是有效的 JSON",
    "share_bad_too_large": "它包含的数据超过 1,000,000 字节",
    "share_not_share": "它不是 sfui 的分享链接",
    "share_version": "它的分享格式为 {version}；此 sfui 读取格式 {supported}",
    "share_field": "它的字段 {field} 缺失或无效",
    "share_run_nothing": "请先打开一个分享链接。",
}
