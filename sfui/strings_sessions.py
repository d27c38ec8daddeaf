"""What a visitor reads about the server's side of their page, in English and Chinese (merged
into sfui/i18n.py's STRINGS): the page's session let go after SFUI_SESSION_TTL idle
(sfui/sessions.py), and the shared store of the demo's budgets out of reach (sfui/stores.py)."""

EN: dict[str, str] = {
    "budget_store_down": (
        "Not sent: the demo's budgets cannot be checked right now, so nothing goes out on its key. "
        "Try again in a minute, or use your own SiliconFlow key."
    ),
    "session_expired": (
        "This page was idle for more than {minutes} min, so the server let go of what it held for it. "
        "Your conversations are saved in this browser and are all still here (the sidebar). "
        "A key you pasted was not kept: paste it again (Use my own key / Change key). "
        "Nothing was sent this time: send it again."
    ),
}

ZH: dict[str, str] = {
    "budget_store_down": (
        "未发送：演示额度暂时无法核对，因此不会用演示密钥发出请求。"
        "请一分钟后再试，或使用你自己的 SiliconFlow 密钥。"
    ),
    "session_expired": (
        "此页面闲置超过 {minutes} 分钟，服务器已释放为它保留的内容。"
        "你的对话保存在此浏览器中，全部都在（见侧栏）。"
        "你粘贴的密钥没有保留：请重新粘贴（使用我自己的密钥 / 更换密钥）。"
        "这次没有发送任何内容：请再发送一次。"
    ),
}
