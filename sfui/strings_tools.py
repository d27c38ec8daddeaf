"""Continue and the demo's tools: the strings a visitor reads, in English and Chinese
(merged into sfui/i18n.py's STRINGS)."""

EN: dict[str, str] = {
    # Page labels (translated by gr.I18n in the browser).
    "label_continue": "Continue",
    "field_tools_demo": "Tools",
    "help_tools_demo": "The model may use a calculator, a clock and a unit converter; sfui runs them, shows each call.",
    # Written by the server in the visitor's language.
    "tool_running": "🔧 {name} (running)",
    "tool_ran": "🔧 Ran {name}",
    "tool_not_run": "🔧 {name} (not run)",
    "tool_rounds_title": "Tool rounds",
    "tool_rounds_limit": "Stopped after {rounds} requests: the model kept calling tools. Ask again more precisely, "
                         "or turn Tools off.",
    "continue_nothing": "There is no answer to continue: Continue goes on with the last answer of the chat.",
}

ZH: dict[str, str] = {
    "label_continue": "继续生成",
    "field_tools_demo": "工具",
    "help_tools_demo": "让模型使用计算器、时钟和单位换算：由 sfui 运行，每次调用都会显示出来。",
    "tool_running": "🔧 {name}（运行中）",
    "tool_ran": "🔧 已运行 {name}",
    "tool_not_run": "🔧 {name}（未运行）",
    "tool_rounds_title": "工具调用轮次",
    "tool_rounds_limit": "已发出 {rounds} 次请求，模型仍在调用工具，已停止。请更明确地再问一次，或关闭“工具”。",
    "continue_nothing": "没有可以继续的回答：“继续生成”接着对话中最后一个回答往下写。",
}
