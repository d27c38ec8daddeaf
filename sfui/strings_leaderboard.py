"""The leaderboard feature's strings a visitor reads, in English and Chinese (merged into sfui/i18n.py's STRINGS)."""

EN: dict[str, str] = {}

ZH: dict[str, str] = {}
