"""Every string a visitor reads, in English: the catalogue's "en" half (see sfui/i18n.py)."""

EN: dict[str, str] = {
    "thinking": "💭 Thinking",
    "thought": "💭 Thought",
    "waiting_retry": "⏳ {reason} — retrying in {delay:.2g} s (retry {attempt} of {max_retries})…",
    "incomplete": "⚠️ The answer above is incomplete",
    "error": "⚠️ Error",
    "busy_toast": (
        "Not sent: an answer is still coming. Wait for it (or press Stop), then send again. Your message is still "
        "in the box."
    ),
    "no_key_toast": (
        "No API key yet. Paste your SiliconFlow API key in the API key box (get one at cloud.siliconflow.cn), or "
        "set SILICONFLOW_API_KEY."
    ),
    "usage_empty": "Token usage and speed appear here while an answer streams.",
    "hint_reasoning": "🧠 reasons before answering (see the Reasoning panel)",
    "hint_hybrid": "🧠 can think: set *Thinking* to on or off under More request fields",
    "hint_vision": "👁 understands images",
    "hint_pro": "💳 Pro/ = paid variant",
    "key_set": (
        "✅ Your key works. It is kept on the server for this browser tab only, never shown again, and forgotten "
        "when you close the tab."
    ),
    "key_cleared": "Your key was forgotten.",
    "key_env": "Using the key configured on the server.",
    "key_none": "No key set.",
    "models_live": "{count} models from the API.",
    "models_fallback": "Showing the default model list ({reason}).",
    "usage_title": "Usage",
    "value": "Value",
    "prompt_tokens": "Prompt tokens",
    "completion_tokens": "Completion tokens",
    "reasoning_tokens": "Reasoning tokens",
    "total_tokens": "Total tokens",
    "ttft": "Time to first token",
    "tps": "Tokens / s (answer)",
    "total_time": "Total time",
    "finish_reason": "Finish reason",
    "cost": "Cost",
    "cost_free": "free",
    "cost_unknown": "price unknown",
    "status": "Status",
    "status_waiting": "waiting for the first token…",
    "status_thinking": "thinking…",
    "status_answering": "answering…",
    "status_done": "done",
    "status_error": "error",
    "status_retrying": "retrying…",
    "status_stopped": "stopped",
    "tool_call": "🔧 Tool call: {name}",
    "bad_input": "Not sent: {problem}",
    # --- errors (sfui/errors.py): each class's title and hint, and how they are put together ---
    # --- static labels (translated in the browser by gr.I18n; sfui/ui/) ---
    "label_title": "## sfui · chat with SiliconFlow models",
    "label_chat": "Chat",
    "label_chat_placeholder": "**SiliconFlow** · DeepSeek, Qwen, GLM, Kimi…",
    "label_placeholder": "Ask anything… (Enter to send, Shift+Enter for a new line)",
    "label_send": "Send",
    "label_stop": "Stop",
    "label_clear": "Clear",
    "label_show_earlier": "Show earlier messages",
    "show_earlier": "Show the {count} earlier questions and answers",
    "label_model": "Model",
    "label_reasoning": "Reasoning",
    "label_parameters": "Parameters",
    "label_system_prompt": "System prompt",
    "label_system_prompt_placeholder": "You are a helpful assistant.",
    "label_advanced": "More request fields",
    "label_api_key": "API key",
    "label_api_key_placeholder": "sk-… (paste your key here)",
    "label_use_key": "Use this key",
    "label_forget_key": "Forget my key",
    # --- request fields (sfui/params.py): labels, one-line help, refusals ---
    "field_temperature": "temperature",
    "field_top_p": "top_p",
    "field_top_k": "top_k",
    "field_max_tokens": "max_tokens",
    "field_frequency_penalty": "frequency_penalty",
    "field_stop": "Stop sequences (one per line, up to 4)",
    "field_enable_thinking": "Thinking (hybrid models)",
    "field_thinking_budget": "Thinking budget (tokens, empty = model default)",
    "field_min_p": "min_p (Qwen3 only, empty = model default)",
    "field_response_format": "Response format",
    "field_tools": "Tools (JSON list of functions)",
    "field_presence_penalty": "presence_penalty (empty = model default)",
    "field_seed": "seed (empty = random)",
    "help_temperature": "Higher = more varied answers; lower = more focused and repeatable.",
    "help_top_p": "Only the most likely words that add up to this share are considered; lower = safer wording.",
    "help_top_k": "Only the k most likely next words are considered; lower = more predictable.",
    "help_max_tokens": "The longest answer allowed, in tokens (about ¾ of a word each).",
    "help_frequency_penalty": "Higher = fewer repeated words and phrases.",
    "help_stop": "The answer ends when it would write one of these.",
    "help_enable_thinking": "Hybrid models can think before answering, or answer at once.",
    "help_thinking_budget": "At most this many tokens of thinking (128 – 32768).",
    "help_min_p": "Drop words far less likely than the best one (0 – 1).",
    "help_response_format": "json_object makes the model answer with valid JSON.",
    "help_tools": "Functions the model may ask to call; their calls are shown in the chat.",
    "help_presence_penalty": "Higher = more likely to talk about new things (-2 – 2).",
    "help_seed": "The same seed and input give (nearly) the same answer again.",
    "input_not_a_number": "{name} must be a number, not {value}",
    "input_out_of_range": "{name} must be between {low} and {high} (got {value})",
    "input_bad_choice": "{name} must be {choices}",
    "input_too_many_stops": "at most {limit} stop sequences (got {count})",
    "input_tools_json": "tools is not valid JSON ({detail})",
    "input_tools_shape": "tools must be a JSON list of tool objects",
    "input_too_many_tools": "at most {limit} tools",
    "input_too_long": (
        "the message is {length} characters long; the limit is {limit} (about the largest context window)"
    ),
    "list_or": "{head} or {last}",
    "list_separator": ", ",
    # --- Compare's logic (sfui/compare.py): pane titles, results and tally tables, refusals ---
    "compare_slot_title": "{model} · temperature {temperature}",
    "compare_sample_title": "{title} · answer {number}",
    "compare_col_pane": "Model",
    "compare_col_ttft": "First token (s)",
    "compare_col_tps": "Tokens / s",
    "compare_col_prompt_tokens": "Prompt tokens",
    "compare_col_completion_tokens": "Completion tokens",
    "compare_col_reasoning_tokens": "Reasoning tokens",
    "compare_col_total_time": "Total time (s)",
    "compare_col_finish_reason": "Finish reason",
    "compare_col_cost": "Cost ({currency})",
    "compare_metric_ttft": "first token (s)",
    "compare_metric_tps": "tokens/s",
    "compare_tally_wins": "Wins",
    "compare_tally_ties": "Ties",
    "compare_tally_losses": "Losses",
    "compare_tally_win_rate": "Win rate",
    "input_compare_slots": "pick at least two models to compare",
    "input_compare_model": "pick a model",
    "input_compare_too_many": "at most {limit} models at once",
    "input_compare_samples": "the number of answers must be a whole number from 1 to {limit}",
    # --- the Compare tab (sfui/ui/compare.py) ---
    "label_chat_tab": "Chat",
    "label_compare_tab": "Compare",
    "label_compare_slot_1": "Model 1",
    "label_compare_slot_2": "Model 2",
    "label_compare_slot_3": "Model 3 (optional)",
    "label_compare_slot_4": "Model 4 (optional)",
    "label_compare_temperature": "temperature",
    "label_compare_temperature_hint": "empty = the chat's",
    "label_compare_samples": "Samples of model 1 (n)",
    "help_compare_samples": "More than 1: one request asks model 1 for n answers, shown side by side.",
    "label_compare_blind": "Blind mode",
    "help_compare_blind": "Hide the names (A, B, C, D in random order) until you vote.",
    "label_compare_vote_best": "👍 This one is best",
    "label_compare_vote_tie": "🤝 Tie",
    "label_compare_vote_bad": "👎 All bad",
    "label_compare_placeholder": "Ask every model the same thing… (Enter to send)",
    "label_compare_stats": "Results",
    "label_compare_chart_ttft": "Time to first token (s)",
    "label_compare_chart_speed": "Tokens / s (answer)",
    "label_compare_chart_cost": "Cost per answer",
    "label_compare_tally": "Your votes (kept in this browser)",
    "label_compare_tally_reset": "Reset my votes",
    "compare_requests": "Asking… {count} requests on your key.",
    "compare_done": "Done: {count} requests on your key.",
    "compare_blind_label": "Model {letter}",
    "compare_nothing_to_vote": (
        "Nothing to vote on yet: send a question and wait for the answers (one vote per round)."
    ),
    "compare_voted": "Vote recorded: {choice}.",
    "compare_vote_tie": "a tie",
    "compare_vote_bad": "all bad",
    # --- View code (sfui/ui/code.py) ---
    "label_code_view": "View code",
    "label_code_lang": "Language",
    "label_code_curl": "curl",
    "label_code_python_requests": "Python (requests)",
    "label_code_python_openai": "Python (openai)",
    "label_code_go": "Go",
    "label_code_javascript": "JavaScript (fetch)",
    "label_code_code": "The request as code (your key is read from SILICONFLOW_API_KEY, never written here)",
    "label_code_refresh": "Show the request for my next Send",
    "code_no_message": (
        "Type a message in the box first: this shows the exact request that Send will make for it, as code "
        "that streams the answer."
    ),
    # --- the conversation sidebar (sfui/ui/conversations.py) ---
    "label_conversations": "### Conversations",
    "label_new_chat": "+ New chat",
    "label_rename_placeholder": "Title of the open conversation",
    "label_rename": "Rename",
    "label_delete_chat": "Delete",
    "label_undo_delete": "Undo delete",
    "label_export_md": "Export Markdown",
    "label_export_json": "Export JSON",
    "label_import": "Import a file…",
    "conv_not_saved_full": (
        "Not saved: this browser's storage for sfui is full. Export old conversations and delete them, "
        "then send again."
    ),
    "conv_nothing_open": "No saved conversation is open: send a message first, or open one from the list.",
    "conv_deleted": "Deleted “{title}”. Press Undo delete to bring it back.",
    # --- saved conversations, export and import (sfui/conversations.py) ---
    "conv_untitled": "New chat",
    "conv_just_now": "just now",
    "conv_minutes_ago": "{count} min ago",
    "conv_hours_ago": "{count} h ago",
    "conv_yesterday": "yesterday",
    "conv_storage": "{percent}% of this browser's storage used",
    "conv_storage_full": "Storage is nearly full ({percent}% used): export old conversations and delete them",
    "conv_unreadable": "{count} saved conversations could not be read and were left out.",
    "conv_import_failed": "Not imported: {problem}. Nothing saved was changed.",
    "conv_rename_failed": "Not renamed: {problem}.",
    "conv_tool_result": "🔧 Tool result",
    "conv_md_model": "Model",
    "conv_md_fields": "Request fields",
    "conv_md_fields_none": "none set (the model's defaults)",
    "conv_md_system": "System prompt",
    "conv_md_user": "🧑 You",
    "conv_md_assistant": "🤖 Assistant",
    "conv_md_thought": "Thought for {seconds} s",
    "input_title_empty": "the title cannot be empty",
    "input_title_too_long": "a title can be at most {limit} characters",
    "input_import_not_json": (
        "the file is not JSON (sfui imports its own JSON export or an OpenAI-style messages list)"
    ),
    "input_import_shape": "the JSON is neither an sfui conversation nor an OpenAI-style messages list",
    "input_import_field": "the conversation's field {field} is missing or not valid",
    "input_import_version": "the file is in conversation format {version}; this sfui reads format {supported}",
    "input_import_too_large": "the file is {size}; the limit is {limit}",
    "input_import_too_many": "the conversation has {count} messages; the limit is {limit}",
    "input_import_message": "message {number} is not a chat message (it needs a role and text content)",
    "input_import_role": "message {number} has an unknown role {role}",
    "input_import_message_too_long": "message {number} is {length} characters long; the limit is {limit}",
    "input_import_empty": "the conversation has no messages",
    "input_image_named": "{name}: {problem}",
    "input_image_empty": "the file is empty",
    "input_image_type": "the file is {type}, not a PNG, JPEG, WebP or GIF image",
    "input_image_too_large": "the image is {size}; the limit is {limit}",
    "input_image_too_many_pixels": "the image has more than {limit} million pixels, too many to open",
    "input_image_unreadable": "the image could not be read (the file is damaged or incomplete)",
    "input_image_detail": "detail must be {choices}",
    "label_code_answer": "The request of",
    "label_code_next_send": "my next Send",
    "code_past_answer": "answer {number} · {model}",
    # --- issue 13 part A: the key card, the balance, the model picker (sfui/account.py, sfui/ui/keys.py,
    # sfui/catalog.py) ---
    "label_key_card_title": "### Paste your SiliconFlow API key to start",
    "label_key_card_text": (
        "No key yet? [Get a key](https://cloud.siliconflow.cn/account/ak) (free sign-up; the free models cost "
        "nothing). Your key is kept on the server for this browser tab only, never in the page."
    ),
    "label_change_key": "Change key",
    "label_own_key": "Use my own key",
    "key_checking": "Checking your key…",
    "key_rejected": "⚠️ {reason}",
    "key_unchecked": "⚠️ Your key could not be tried: {reason}",
    "key_check_hint": "Check the base URL and your network, then paste the key again.",
    "balance_line": "Balance: **{amount}**",
    "balance_empty_hint": "(the free models still answer)",
    "model_tag_reasoning": "🧠 reasoning",
    "model_tag_hybrid": "🧠 optional thinking",
    "model_tag_vision": "👁 vision",
    "model_tag_free": "free",
    "model_tag_separator": ", ",
    "about_qwen3_8b": "Small, fast and free, and it can think first on hard questions: everyday chat and quick demos",
    "about_r1_qwen3_8b": "A free, small model that thinks out loud: watch it work through maths and puzzles",
    "about_glm_41v_thinking": "Free and sees images: it thinks about a picture before it answers",
    "about_glm_z1_9b": "A free, small model that thinks first: maths and logic, with its thinking shown",
    "about_glm4_9b": "A free, small general model: everyday questions and short texts",
    "about_qwen25_7b": "Small, quick and free: simple questions, short texts and translation",
    "about_deepseek_v32": "DeepSeek's newer all-rounder: writing and code, and it can think first on hard problems",
    "about_deepseek_v3": "A strong all-rounder for writing, code and Chinese that answers straight away",
    "about_deepseek_r1": "Thinks at length before it answers: hard maths, logic and careful reasoning",
    "about_kimi_k2": "A large model for code, tool use and long, fluent writing",
    "about_glm_46": "A large model for code, long documents and multi-step tasks; it can think first",
    "about_qwen25_72b": "A large general model: long texts and careful writing in Chinese and English",
    "about_qwq_32b": "A mid-size model that thinks first: maths and logic puzzles, step by step",
    "about_qwen25_vl_72b": "Sees images: describes photos and reads charts, documents and handwriting",
    "about_rule_vision": "Sees images as well as text: describe a photo or read a chart",
    "about_rule_coder": "Made for programming: writing, explaining and fixing code",
    "about_rule_math": "Made for maths problems",
    "about_rule_reasoning": "Thinks step by step before it answers: maths, logic and puzzles",
    "about_rule_small": "A small, fast general model for everyday questions",
    "about_rule_large": "A large general model: stronger answers, a little slower",
    "about_rule_general": "A general chat model for questions and writing",
    # --- first screen: example prompts, presets, plain words (issue 13 part B) ---
    "label_examples": "Try one of these",
    "label_example_puzzle": "🧠 A logic puzzle",
    "example_puzzle_prompt": (
        "Three boxes are labelled Apples, Oranges and Mixed, and every label is wrong. You may take one fruit "
        "from one box without looking inside. Which box do you pick from, and how do you then label all three?"
    ),
    "label_example_code": "Write some Python",
    "example_code_prompt": (
        "Write a short Python function that tells whether a word is a palindrome, ignoring case and spaces, "
        "with two examples of its use."
    ),
    "label_example_math": "Math with formulas",
    "example_math_prompt": (
        "Explain step by step why 1 + 2 + ... + n = n(n+1)/2, and write the formulas in LaTeX."
    ),
    "label_example_poem": "A Chinese poem",
    "example_poem_prompt": (
        "Write a short classical Chinese poem (五言绝句) about autumn moonlight, then translate it into English."
    ),
    "label_example_picture": "👁 Describe this picture",
    "example_picture_prompt": "Describe this picture: what is in it, and what mood does it have?",
    "label_presets": "Style of answer",
    "help_presets": "Sets temperature and top_p for you: Precise = focused, Creative = more varied.",
    "label_preset_precise": "Precise",
    "label_preset_balanced": "Balanced",
    "label_preset_creative": "Creative",
    "help_model": "Which model answers. 🧠 thinks first, 👁 reads images, free costs nothing.",
    "help_system_prompt": "Instructions the model follows for the whole chat: a role, a tone, a language.",
    "help_compare_model": "Each model gets the same question; their answers appear side by side.",
    "help_compare_temperature": "Higher = more varied.",
    # --- images in the chat (issue 12) ---
    "field_detail": "detail (pictures)",
    "help_detail": "How closely a vision model looks at each picture: low is cheaper, high reads small print.",
    "image_not_vision": (
        "**{model}** is not known to see images: this model can't see images; pick a 👁 model. "
        "Your message is still in the box."
    ),
    "label_send_anyway": "Send anyway",
    "conv_md_image": "🖼 picture: {name}",
    "input_image_gone": "the upload is no longer on the server; attach the picture again",
    # --- the public demo's limits (issue 20: sfui/budget.py, sfui/ui/keys.py) ---
    "budget_meter": "Demo budget: **{left}** of {total} left today",
    "budget_meter_everyone": "Demo budget: **{left}** of {total} left today for everyone",
    "budget_refused": (
        "Not sent: this answer could cost up to {worst}, and the demo's budget has {left} left for you today. "
        "It resets in {reset} (00:00 UTC). Your own SiliconFlow key lifts the limit: press “Use my own key”. "
        "Your message is still in the box."
    ),
    "budget_refused_everyone": (
        "Not sent: this answer could cost up to {worst}, and the demo's budget for everyone has {left} left "
        "today. It resets in {reset} (00:00 UTC). Your own SiliconFlow key lifts the limit: press “Use my own "
        "key”. Your message is still in the box."
    ),
    "budget_free_models": "The free models still answer.",
    "budget_unpriced": (
        "Not sent: {model} has no known price, so the demo's key does not pay for it. Pick another model, or "
        "use your own key. Your message is still in the box."
    ),
    "budget_rate": (
        "Not sent: the demo's key takes at most {rpm} requests a minute from you. Try again in {wait} s, or use "
        "your own key. Your message is still in the box."
    ),
    "budget_streams": (
        "Not sent: {count} answers are already coming for you on the demo's key. Wait for one to end (or press "
        "Stop), or use your own key. Your message is still in the box."
    ),
    "budget_key_checks": "Too many keys tried from here. Try again in {minutes} min.",
    "budget_duration": "{hours} h {minutes} min",
    "budget_minutes": "{minutes} min",
    "queue_busy": "The demo is busy right now: try again in a minute.",
}
