"""What the browser can still store for this site (sfui/storage_room.py): the page's measure
checked, whether a save fits, and the storage line in both languages."""

from __future__ import annotations

import pytest

from sfui import conversations as conv
from sfui import storage_room as room_
from sfui.storage_room import LOW_FREE, QUOTA_CHARS, SAFETY_CHARS, Room


def test_a_measure_from_the_page_is_checked():
    assert Room.from_page({"ours": 100, "others": 20, "free": 5_000, "failed": True}) == Room(100, 20, 5_000, True)
    assert Room.from_page({"ours": 100, "others": 20, "free": 5_000}) == Room(100, 20, 5_000, False)
    for bad in (None, [], "x", {"ours": 1, "others": 2}, {"ours": -1, "others": 0, "free": 0},
                {"ours": 1.5, "others": 0, "free": 0}, {"ours": True, "others": 0, "free": 0},
                {"ours": 1, "others": 0, "free": 10**12}, {"ours": 1, "others": 0, "free": 2, "failed": "yes"}):
        assert Room.from_page(bad) is None, bad


def test_the_room_adds_up_every_entry_of_the_site():
    room = Room(ours=1_000, others=4_000_000, free=1_241_880)
    assert room.used == 4_001_000 and room.total == 5_242_880


def test_a_save_fits_in_what_the_stored_store_and_the_room_left_hold():
    store = {"conversations": [], "padding": "a" * 30_000}  # 4/3 stored characters each
    size = conv.stored_chars(store)
    assert room_.fits(store, Room(ours=0, others=5_000_000, free=size + SAFETY_CHARS))
    assert not room_.fits(store, Room(ours=0, others=5_000_000, free=size + SAFETY_CHARS - 1))
    # the stored store is replaced: its room counts
    assert room_.fits(store, Room(ours=size, others=5_000_000, free=SAFETY_CHARS))


def test_without_a_measure_the_store_is_taken_to_be_alone_in_chromiums_quota():
    store = {"conversations": [], "padding": "a" * 30_000}
    modelled = Room.modelled(store)
    assert modelled.others == 0 and modelled.total == QUOTA_CHARS == 5 * 1024 * 1024
    assert room_.fits({"padding": "a" * 3_900_000}, Room.modelled(conv.empty_store()))
    assert not room_.fits({"padding": "a" * 3_940_000}, Room.modelled(conv.empty_store()))


def test_the_line_says_what_is_used_and_free():
    line = room_.storage_line(Room(ours=1_000_000, others=48_576, free=4_194_304), "en")
    assert line == "Storage for this site: 20% used, 4,194,304 characters free"
    assert room_.storage_line(Room(ours=1_000_000, others=48_576, free=4_194_304), "zh") == (
        "本站存储空间：已用 20%，还剩 4,194,304 个字符")


@pytest.mark.parametrize("room", [Room(4_200_000, 0, 1_042_880), Room(0, 0, LOW_FREE - 1)])
def test_the_line_warns_from_nearly_full_or_little_room_on(room):
    assert room_.is_low(room)
    line = room_.storage_line(room, "en")
    assert line.startswith("⚠️ Storage nearly full") and "Export old conversations" in line
    assert "other data" not in line
    assert "快满了" in room_.storage_line(room, "zh")


def test_the_line_never_shows_79_percent_in_a_warning_nor_80_without_one():
    assert room_.storage_line(Room(4_190_000, 0, 1_052_880), "en").startswith("Storage for this site: 79%")
    assert room_.storage_line(Room(4_194_304, 0, 1_048_576), "en").startswith("⚠️ Storage nearly full: 80%")


def test_a_site_filled_by_other_data_says_so():
    room = Room(ours=1_500, others=5_221_380, free=20_000)
    assert room_.storage_line(room, "en") == (
        "⚠️ Storage nearly full: 99% used, only 20,000 characters free (5,221,380 of them taken by other data of "
        "this site). Export old conversations and delete them")
    assert "本站其他数据占用其中 5,221,380 个字符" in room_.storage_line(room, "zh")


def test_a_save_that_cannot_be_written_is_said_in_both_languages():
    room = Room(ours=1_500, others=5_221_380, free=20_000)
    assert room_.not_saved_message(room, "en").startswith("Not saved: this browser has no room left for this site "
                                                         "(20,000 characters free)")
    assert room_.not_saved_message(room, "zh").startswith("未保存")
