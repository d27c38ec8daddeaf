"""How a picture sits in the chat history, and how it is read back out of it.

A picture the visitor sent is one block of its message's content: a Gradio
"component" block holding an ``<img>`` whose ``src`` is the picture's ``data:``
URL (the bytes as sent to the model, after ``sfui.images`` scaled them). The
history travels between the browser and the server with every event, so later
turns (and Retry, Edit, a saved conversation) have the picture without the
server keeping any file: Gradio's file blocks would be served from its upload
cache by URL instead, to anyone who has the URL.

The history comes back from the browser (or from an imported file), so a block is
trusted only as far as :func:`image_url_of` can read it: exactly the markup
:func:`image_block` writes, a base64 ``data:`` URL of an accepted type. Anything
else is not a picture, and :func:`clean_image_blocks` drops it before it is shown
again, so no other HTML reaches the page this way.

Nothing here imports Gradio.
"""

from __future__ import annotations

import html
import re
from typing import Any

from .images import ACCEPTED, PreparedImage

IMAGE_CLASS = "sfui-image"
_DATA_URL = r"data:(?P<mime>image/(?:png|jpeg|webp|gif));base64,[A-Za-z0-9+/]+={0,2}"
_IMG = re.compile(
    rf'<img class="{IMAGE_CLASS}" src="(?P<url>{_DATA_URL})" alt="(?P<alt>[^"<>]*)">'
)


def image_block(prepared: PreparedImage) -> dict[str, Any]:
    """The history block showing ``prepared`` in its message bubble."""
    return image_block_from_url(prepared.data_url, prepared.name)


def image_block_from_url(data_url: str, name: str = "") -> dict[str, Any]:
    alt = html.escape(name or "image", quote=True)
    markup = f'<img class="{IMAGE_CLASS}" src="{data_url}" alt="{alt}">'
    if not _IMG.fullmatch(markup):
        raise ValueError("not a data: URL of an accepted picture")
    return {"type": "component", "component": "html", "value": markup, "constructor_args": {}, "props": {}}


def image_url_of(part: Any) -> str | None:
    """The ``data:`` URL of a picture block written by :func:`image_block`, else None."""
    if not isinstance(part, dict) or part.get("type") != "component" or part.get("component") != "html":
        return None
    match = _IMG.fullmatch(str(part.get("value") or ""))
    if match is None or match.group("mime") not in ACCEPTED:
        return None
    return match.group("url")


def image_name_of(part: Any) -> str:
    """The file name a picture block shows as its alt text ("" when it is not a picture)."""
    match = _IMG.fullmatch(str(part.get("value") or "")) if image_url_of(part) else None
    return html.unescape(match.group("alt")) if match else ""


def image_urls(content: Any) -> list[str]:
    """The pictures' data: URLs in a message's content, in order."""
    if not isinstance(content, (list, tuple)):
        return []
    return [url for url in map(image_url_of, content) if url]


def clean_image_blocks(content: Any) -> Any:
    """A message's content with every component block that is not a picture of ours
    dropped, and the pictures rewritten from their URLs (so the extra keys Gradio adds
    on the way in, such as a component ``instance``, go too)."""
    if not isinstance(content, (list, tuple)):
        return content
    cleaned = []
    for part in content:
        if isinstance(part, dict) and part.get("type") == "component":
            url = image_url_of(part)
            if url:
                cleaned.append(image_block_from_url(url, image_name_of(part)))
            continue
        cleaned.append(part)
    return cleaned
