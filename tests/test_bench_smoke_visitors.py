"""bench/visitors.py and its raw protocol reader, without launching anything: the visitors
find the page's own Send step in the app's config, and the reader splits a chunked event
stream into its lines wherever the chunks cut them. (The benchmark itself is minutes long:
python -m bench.visitors.)"""

from __future__ import annotations

import asyncio

from bench.gradio_protocol import _chunked_lines
from bench.visitors import page_send, quick_step


def test_the_visitors_ask_through_the_pages_send_step():
    from sfui.config import Settings
    from sfui.ui import build_demo

    config = build_demo(Settings(api_key=None, base_url="http://127.0.0.1:9/v1")).get_config_file()
    fn_index, data = page_send(config)
    dep = next(d for d in config["dependencies"] if d["id"] == fn_index)
    elem_ids = {c["id"]: c.get("props", {}).get("elem_id") for c in config["components"]}
    assert elem_ids[dep["inputs"][0]] == "pending-message" and data[0]["text"]
    assert len(data) == len(dep["inputs"])
    # The chat as the page's browser step leaves it: the question shown, as the step expects it.
    from sfui.chat_window import without_sent_question

    chat = data[dep["inputs"].index(next(c["id"] for c in config["components"]
                                          if c.get("props", {}).get("elem_id") == "chatbot"))]
    assert without_sent_question(chat, data[0]["text"]) == ([], True)
    assert quick_step(config) is not None  # how a visitor's session is opened first


def test_a_chunked_stream_comes_back_line_by_line():
    body = b"data: {\"a\": 1}\n\nda", b"ta: {\"b\"", b": 2}\n\n"
    wire = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in body) + b"0\r\n\r\n"

    async def lines():
        reader = asyncio.StreamReader()
        reader.feed_data(wire)
        reader.feed_eof()
        return [line async for line in _chunked_lines(reader)]

    assert [line for line in asyncio.run(lines()) if line] == [b'data: {"a": 1}', b'data: {"b": 2}']
