"""One round of Compare as a typed object: the slots asked, the panes' titles and
blind letters, whether it was voted on, what the page shows of it, and each pane's
whole conversation once the round ended (what a follow-up sends).

The round lives in the page's session state between events; ``to_state`` and
``from_state`` are its only ways in and out, and ``from_state`` checks what comes
back (a restarted server, an old page). Plain Python: no Gradio, no HTTP.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .chat import api_messages, append_user, check_message
from .compare import (
    MAX_SLOTS,
    Slot,
    blind_labels,
    blind_order,
    pane_names,
    pane_titles,
    parse_samples,
    slot_params,
    slots_from_inputs,
)
from .i18n import t
from .params import InputError


def plan_slots(models: Sequence[Any], temperatures: Sequence[Any], samples: Any) -> tuple[list[Slot], int]:
    """The slots to ask and how many answers each: 2–4 models once, or with ``samples``
    > 1 the first filled slot's model that many times in one request. Raises InputError."""
    n = parse_samples(samples)
    slots = slots_from_inputs(list(models), list(temperatures), samples=n)
    return (slots[:1], n) if n > 1 else (slots, 1)


def _int_or_zero(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _of_length(values: Any, default: Any) -> tuple:
    return tuple(values) if isinstance(values, list | tuple) and len(values) == MAX_SLOTS else (default,) * MAX_SLOTS


@dataclass(frozen=True)
class PaneView:
    """What the page shows of the panes, as far as this session knows: each pane's
    label and whether its column is visible (None where not known: after a reload or
    Clear), and where each pane's shown messages start in its conversation (0 where not
    known: the pane then keeps every message it has until the round's last frame)."""

    labels: tuple[str | None, ...] = (None,) * MAX_SLOTS
    visible: tuple[bool | None, ...] = (None,) * MAX_SLOTS
    starts: tuple[int, ...] = (0,) * MAX_SLOTS

    @classmethod
    def from_state(cls, obj: Any) -> PaneView:
        obj = obj if isinstance(obj, dict) else {}
        return cls(_of_length(obj.get("labels"), None), _of_length(obj.get("visible"), None),
                   tuple(_int_or_zero(start) for start in _of_length(obj.get("from"), 0)))

    def to_state(self) -> dict:
        return {"labels": list(self.labels), "visible": list(self.visible), "from": list(self.starts)}


@dataclass(frozen=True)
class PlannedRequest:
    """One request of a round: its model, API messages and fields, and the conversation
    of each pane it answers (one pane per choice)."""

    model: str
    messages: list[dict]
    params: dict
    histories: list[list]


@dataclass(frozen=True)
class CompareRound:
    slots: tuple[Slot, ...]
    samples: int  # answers per slot (the API's n)
    titles: tuple[str, ...]  # each pane's title, in the visitor's language
    names: tuple[str, ...]  # each pane's name in the tally: the same in every language
    labels: tuple[str, ...]  # blind mode's letters, in pane order
    blind: bool
    voted: bool = False
    view: PaneView = field(default_factory=PaneView)
    histories: tuple[list, ...] = ()  # each pane's whole conversation, once a round ended (as the page holds it)

    @classmethod
    def new(cls, slots: Sequence[Slot], samples: int, lang: str, blind: bool, rng: random.Random) -> CompareRound:
        titles = pane_titles(slots, samples, lang)
        order = blind_order(len(titles), rng) if blind else list(range(len(titles)))
        return cls(tuple(slots), samples, tuple(titles), tuple(pane_names(slots, samples)),
                   tuple(blind_labels(order)), blind)

    @classmethod
    def from_state(cls, obj: Any) -> CompareRound | None:
        """The round a session kept (``to_state``), or None for anything else."""
        if not isinstance(obj, dict):
            return None
        try:
            slots = tuple(Slot(str(model), None if temp is None else float(temp)) for model, temp in obj["slots"])
            titles, names, labels = (tuple(str(v) for v in obj[key]) for key in ("titles", "names", "labels"))
            samples = int(obj["samples"])
        except (KeyError, TypeError, ValueError):
            return None
        histories = obj.get("histories")
        kept = tuple(list(h) if isinstance(h, list) else [] for h in histories) if isinstance(histories, list) else ()
        return cls(slots, samples, titles, names, labels, bool(obj.get("blind")), bool(obj.get("voted")),
                   PaneView.from_state(obj.get("view")), kept)

    def to_state(self) -> dict:
        return {"slots": [[slot.model, slot.temperature] for slot in self.slots], "samples": self.samples,
                "titles": list(self.titles), "names": list(self.names), "labels": list(self.labels),
                "blind": self.blind, "voted": self.voted, "view": self.view.to_state(),
                "histories": [list(history) for history in self.histories]}

    @property
    def count(self) -> int:
        """How many panes the round shows."""
        return len(self.titles)

    def follows(self, previous: CompareRound | None) -> bool:
        """Whether this round goes on with ``previous``'s panes (the same titles, the same
        blindness): each pane then continues its own conversation."""
        return previous is not None and previous.titles == self.titles and previous.blind == self.blind

    def kept_histories(self) -> list[list]:
        """Each pane's conversation as the round's last frame left it (empty before any
        round ended), one per slot of the page."""
        return ([list(h) for h in self.histories] + [[]] * MAX_SLOTS)[:MAX_SLOTS]

    def pane_names(self, lang: str) -> list[str]:
        """What each pane is called: its model (and temperature), or "Model A" in blind
        mode until the vote, then "A · model"."""
        if not self.blind:
            return list(self.titles)
        if not self.voted:
            return [t(lang, "compare_blind_label", letter=letter) for letter in self.labels]
        return [f"{letter} · {title}" for letter, title in zip(self.labels, self.titles, strict=True)]

    def requests(self, message: str, system_prompt: str | None, base: dict) -> list[PlannedRequest]:
        """The requests that ask ``message`` after each pane's conversation: one per slot,
        or one request with ``n`` for samples of one model (the first pane's conversation
        is the one sent)."""
        histories = self.kept_histories()
        if self.samples > 1:
            asked = [append_user(histories[i], message) for i in range(self.samples)]
            params = slot_params(base, self.slots[0], n=self.samples)
            return [PlannedRequest(self.slots[0].model, api_messages(asked[0], system_prompt), params, asked)]
        plans = []
        for slot, history in zip(self.slots, histories, strict=False):
            asked = append_user(history, message)
            plans.append(PlannedRequest(slot.model, api_messages(asked, system_prompt), slot_params(base, slot),
                                        [asked]))
        return plans

    def replace(self, **changes: Any) -> CompareRound:
        return dataclasses.replace(self, **changes)


def refusal(message: str | None, models: Sequence[Any], temperatures: Sequence[Any], samples: Any, lang: str, *,
            key_set: bool, busy: bool) -> str | None:
    """Why a comparison cannot be asked (shown as a toast), or None: this tab's last
    round still streams, the message or a slot cannot be sent, or no key would pay."""
    if busy:
        return t(lang, "busy_toast")
    try:
        check_message(message)
        plan_slots(models, temperatures, samples)
    except InputError as exc:
        return exc.user_message(lang)
    if not key_set:
        return t(lang, "no_key_toast")
    return None
