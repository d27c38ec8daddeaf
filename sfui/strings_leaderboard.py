"""The leaderboard feature's strings a visitor reads, in English and Chinese (merged into sfui/i18n.py's STRINGS)."""

EN: dict[str, str] = {
    # The page's static text (gr.I18n).
    "label_leaderboard": "Leaderboard from blind votes",
    "label_leaderboard_table": "Scores (Bradley-Terry, Elo scale)",
    "label_leaderboard_chart": "Score against cost per answer",
    "label_leaderboard_scope": "Whose votes",
    "label_leaderboard_scope_mine": "Yours",
    "label_leaderboard_scope_everyone": "Everyone's",
    "label_votes_export": "Download the votes (JSONL, FastChat's format)",
    "help_leaderboard": (
        "Only blind votes count. A vote is not counted when an answer names its own model. Scores are "
        "Bradley-Terry ratings on the Elo scale (mean 1000; ties count half for each side, \"all bad\" is a tie), "
        "with 95% intervals from 200 bootstrap refits. A model needs 5 counted votes for a score."
    ),
    # Text the server writes.
    "leaderboard_col_rank": "Rank",
    "leaderboard_col_model": "Model",
    "leaderboard_col_score": "Score",
    "leaderboard_col_interval": "95% interval",
    "leaderboard_col_votes": "Votes",
    "leaderboard_col_cost": "Cost per answer ({currency})",
    "leaderboard_col_tps": "Median tokens/s",
    "leaderboard_not_enough": "not enough votes yet",
    "leaderboard_summary": "{counted} counted votes, {uncounted} not counted.",
    "leaderboard_empty": "No counted votes yet: vote on a blind round to start the leaderboard.",
    "vote_counted": "Counted in the leaderboard.",
    "vote_not_counted_self_naming": (
        "Not counted in the leaderboard: the answer of {model} names its own model (“{word}”)."
    ),
    "vote_not_counted_not_blind": "Not counted in the leaderboard: only blind votes count.",
    "vote_not_counted_one_model": "Not counted in the leaderboard: every pane showed the same model.",
    "vote_not_counted_cap": "Counted in your leaderboard; not in everyone's: today's limit of {cap} votes is reached.",
    "pane_reveal": "{name} · {cost} · first token {ttft} · {tps}",
    "pane_reveal_tps": "{tps} tokens/s",
    "pane_reveal_seconds": "{seconds} s",
    "pane_reveal_unknown": "–",
}

ZH: dict[str, str] = {
    "label_leaderboard": "盲测投票排行榜",
    "label_leaderboard_table": "得分（Bradley-Terry，Elo 刻度）",
    "label_leaderboard_chart": "得分与每个回答的费用",
    "label_leaderboard_scope": "谁的投票",
    "label_leaderboard_scope_mine": "我的",
    "label_leaderboard_scope_everyone": "所有人的",
    "label_votes_export": "下载投票（JSONL，FastChat 格式）",
    "help_leaderboard": (
        "只有盲测投票计入。回答说出自己模型的名字时，该票不计入。得分是 Elo 刻度上的 Bradley-Terry 评分（平均 1000；"
        "平局双方各算半胜，“都不好”算平局），95% 区间来自 200 次自助法重新拟合。模型需要 5 张计入的票才显示得分。"
    ),
    "leaderboard_col_rank": "名次",
    "leaderboard_col_model": "模型",
    "leaderboard_col_score": "得分",
    "leaderboard_col_interval": "95% 区间",
    "leaderboard_col_votes": "票数",
    "leaderboard_col_cost": "每个回答的费用（{currency}）",
    "leaderboard_col_tps": "每秒 token 数（中位数）",
    "leaderboard_not_enough": "票数还不够",
    "leaderboard_summary": "计入 {counted} 票，未计入 {uncounted} 票。",
    "leaderboard_empty": "还没有计入的投票：在盲测中投一票即开始排行。",
    "vote_counted": "已计入排行榜。",
    "vote_not_counted_self_naming": "未计入排行榜：{model} 的回答说出了自己模型的名字（“{word}”）。",
    "vote_not_counted_not_blind": "未计入排行榜：只有盲测投票计入。",
    "vote_not_counted_one_model": "未计入排行榜：所有窗格都是同一个模型。",
    "vote_not_counted_cap": "已计入你的排行榜，未计入所有人的：今天的 {cap} 票上限已到。",
    "pane_reveal": "{name} · {cost} · 首个 token {ttft} · {tps}",
    "pane_reveal_tps": "每秒 {tps} 个 token",
    "pane_reveal_seconds": "{seconds} 秒",
    "pane_reveal_unknown": "–",
}
