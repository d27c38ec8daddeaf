"""SSEDecoder: bytes in, events out (pure, no network)."""

from __future__ import annotations

import json

import pytest

from sfui.api.sse import ForeignLine, SSEDecoder, SSEEvent


def decode(*chunks: bytes) -> list[SSEEvent | ForeignLine]:
    """Feed the chunks one by one, then close: everything the decoder produced."""
    decoder = SSEDecoder()
    return [item for chunk in chunks for item in decoder.feed(chunk)] + decoder.close()


def data_of(items: list[SSEEvent | ForeignLine]) -> list[str]:
    return [item.data for item in items if isinstance(item, SSEEvent)]


def every_split(raw: bytes) -> list[tuple[bytes, bytes]]:
    return [(raw[:cut], raw[cut:]) for cut in range(len(raw) + 1)]


# --- line endings -----------------------------------------------------------------


@pytest.mark.parametrize("eol", [b"\n", b"\r\n", b"\r"], ids=["LF", "CRLF", "CR"])
def test_line_endings(eol):
    raw = b"data: one" + eol + eol + b"data: two" + eol + eol
    assert data_of(decode(raw)) == ["one", "two"]


def test_mixed_line_endings_in_one_stream():
    raw = b"data: a\r\n\r\ndata: b\n\ndata: c\r\r"
    assert data_of(decode(raw)) == ["a", "b", "c"]


@pytest.mark.parametrize("first, second", every_split(b"data: x\r\n\r\ndata: y\r\n\r\n"))
def test_crlf_split_across_feeds_is_one_line_end(first, second):
    # A CR ending one feed and the LF starting the next are one CRLF, not
    # two line ends: two line ends would be a blank line, dispatching early.
    assert data_of(decode(first, second)) == ["x", "y"]


def test_cr_then_lf_in_later_feed_after_empty_decode():
    # The byte after the CR is half a UTF-8 character: that feed decodes to
    # nothing, and the CR must still pair with the LF that eventually follows.
    assert data_of(decode(b"data: a\r", b"\n\r", b"\ndata: \xe4", b"\xbd\xa0\r\n\r\n")) == ["a", "你"]


# --- comments, blank lines, fields --------------------------------------------------


def test_comments_and_extra_blank_lines_are_skipped():
    raw = b": keep-alive\n\n\n\n:another\ndata: hello\n: in the middle\n\n\n"
    assert decode(raw) == [SSEEvent("hello")]


def test_multi_line_data_is_joined_with_newline():
    assert data_of(decode(b"data: {\"a\":\ndata: 1}\n\n")) == ['{"a":\n1}']
    assert json.loads(data_of(decode(b"data: {\"a\":\ndata: 1}\n\n"))[0]) == {"a": 1}


def test_data_without_space_and_empty_data():
    # "data:x" (no space) is valid; a bare "data" field is an empty line of data.
    assert data_of(decode(b"data:x\n\ndata\ndata: y\n\n")) == ["x", "\ny"]


def test_event_and_id_fields_are_recorded():
    assert decode(b"event: delta\nid: 7\ndata: z\n\n") == [SSEEvent("z", event="delta", id="7")]


def test_blank_line_without_data_dispatches_nothing():
    assert decode(b"event: ping\n\n") == []


def test_data_substring_inside_content_is_not_a_split_point():
    # llama-index once split on "data: " and broke on answers quoting SSE.
    body = json.dumps({"content": "the literal data: inside, and data: [DONE] too"})
    assert data_of(decode(b"data: " + body.encode() + b"\n\n")) == [body]


# --- encoding ---------------------------------------------------------------------


@pytest.mark.parametrize("first, second", every_split("data: 你好🙂\n\n".encode()))
def test_bytes_split_mid_utf8(first, second):
    assert data_of(decode(first, second)) == ["你好🙂"]


def test_invalid_utf8_becomes_replacement_character():
    assert data_of(decode(b"data: bad \xff\xfe bytes\n\n")) == ["bad \ufffd\ufffd bytes"]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\x1c"])
def test_unicode_line_separators_are_not_line_breaks(separator):
    # JSON allows these raw inside strings; str.splitlines() would split on them.
    body = json.dumps({"content": f"one{separator}two"}, ensure_ascii=False)
    events = decode(b"data: " + body.encode() + b"\n\n")
    assert data_of(events) == [body]
    assert json.loads(events[0].data)["content"] == f"one{separator}two"


# --- foreign lines and end of input ---------------------------------------------------


def test_bare_json_line_is_a_foreign_line():
    line = '{"code":60000,"message":"Request processing has failed due to some unknown error.","data":null}'
    assert decode(b"data: {}\n\n" + line.encode() + b"\n\n") == [SSEEvent("{}"), ForeignLine(line)]


def test_html_line_is_a_foreign_line():
    assert decode(b"<!DOCTYPE html>\n") == [ForeignLine("<!DOCTYPE html>")]


def test_close_flushes_a_final_event_without_trailing_blank_line():
    decoder = SSEDecoder()
    assert decoder.feed(b"data: first\n\ndata: last") == [SSEEvent("first")]
    assert decoder.close() == [SSEEvent("last")]


def test_close_flushes_a_terminated_line_without_blank_line():
    decoder = SSEDecoder()
    assert decoder.feed(b"data: last\n") == []
    assert decoder.close() == [SSEEvent("last")]


def test_close_flushes_a_half_utf8_character_as_replacement():
    decoder = SSEDecoder()
    assert decoder.feed(b"data: \xe4\xbd") == []
    assert decoder.close() == [SSEEvent("\ufffd")]


def test_byte_by_byte_equals_one_shot():
    raw = (b": hi\r\nevent: e\r\ndata: {\"x\": \"\xe4\xbd\xa0 data: \"}\r\n\r\n"
           b"{\"code\":1,\"message\":\"m\"}\n\rdata: [DONE]\r")
    one_by_one = decode(*(raw[i:i + 1] for i in range(len(raw))))
    assert one_by_one == decode(raw)
    assert data_of(one_by_one) == ['{"x": "你 data: "}', "[DONE]"]
