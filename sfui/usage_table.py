"""The usage panel's table: its rows as Markdown, and the table a request shows before its
first token (the page's Send puts that one in the panel itself, at Enter)."""

from __future__ import annotations

from .i18n import t


def usage_table(rows: list[tuple[str, str]], lang: str) -> str:
    header = f"| {t(lang, 'usage_title')} | {t(lang, 'value')} |\n|---|---:|\n"
    return header + "\n".join(f"| {name} | {value} |" for name, value in rows)


def waiting_usage_markdown(lang: str) -> str:
    """Before the first token: the status alone (the page shows it at once; the first frames
    send the very same text, so the panel is not drawn again)."""
    return usage_table([(t(lang, "status"), t(lang, "status_waiting"))], lang)
