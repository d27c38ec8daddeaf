"""One chat turn's request, built once where the page hands it over, and the
decision whether a message is sent at all.

A request carries what every step of an answer needs: the model, the system
prompt, the request fields (``Controls``), this tab's own key (never another
visitor's; None: the server's) and the message's pictures. :func:`decide` is the
one place that says what happens to a message: refused (with the reason in the
visitor's language), ignored (blank), held back with a notice (pictures to a model
not known to see images), or asked.

Plain Python: no Gradio, no HTTP.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .catalog import model_info
from .chat import api_messages, check_message
from .i18n import t
from .params import Controls, InputError
from .visitors import UNKNOWN_ADDRESS, Visitor

ANONYMOUS = Visitor(UNKNOWN_ADDRESS)  # a request built without a caller (tests, tools)

ASK = "ask"
IGNORE = "ignore"  # a blank message with no picture: nothing to send, nothing to say
REFUSE = "refuse"  # not sent; ``Decision.reason`` says why
NOT_VISION = "not_vision"  # pictures to a model the catalogue does not know to see them


@dataclass(frozen=True)
class ChatRequest:
    """What one answer is asked with. ``pictures``: the message's attached pictures
    (whatever the page attached: only their number matters here) or, once read, the
    prepared images (sfui.images.PreparedImage)."""

    model: str
    system_prompt: str | None
    controls: Controls
    visitor_key: str | None = field(default=None, repr=False)  # repr=False: never in a log line
    text: str | None = None
    pictures: tuple[Any, ...] = ()
    # Who asks, for the demo's limits on the server's key (repr=False: an address is never logged).
    visitor: Visitor = field(default=ANONYMOUS, repr=False)
    # The page already shows the question (its Send): the answer's first frame need not.
    question_shown: bool = False

    @classmethod
    def from_page(cls, model: str | None, system_prompt: str | None, controls: Controls, visitor_key: str | None,
                  *, default_model: str, text: str | None = None, pictures: Sequence[Any] = (),
                  visitor: Visitor = ANONYMOUS) -> ChatRequest:
        """The request as the page's inputs give it: an empty model means the server's default."""
        return cls((model or "").strip() or default_model, system_prompt, controls, visitor_key or None, text,
                   tuple(pictures), visitor)

    def with_pictures(self, pictures: Sequence[Any]) -> ChatRequest:
        return dataclasses.replace(self, pictures=tuple(pictures))

    def shown_by_page(self) -> ChatRequest:
        return dataclasses.replace(self, question_shown=True)

    def params(self) -> dict[str, Any]:
        """The request fields as the client takes them (validated: raises InputError)."""
        return self.controls.to_params()

    def messages(self, history: list) -> list[dict]:
        """The API's ``messages`` for ``history`` (the whole conversation, the question last)."""
        return api_messages(history, self.system_prompt, self.controls.image_detail)


def paying_key(visitor_key: str | None, server_key: str | None) -> str | None:
    """The key a request is sent with: the visitor's own wins over the server's (a Space secret)."""
    return visitor_key or server_key or None


@dataclass(frozen=True)
class Decision:
    verdict: str  # ASK, IGNORE, REFUSE or NOT_VISION
    reason: str | None = None  # REFUSE: why, in the visitor's language


def refusal(request: ChatRequest, lang: str, *, key_set: bool) -> str | None:
    """Why ``request`` cannot be sent (its message, its fields, or no key at all), or
    None. A blank message is not refused: it is ignored."""
    try:
        check_message(request.text, bool(request.pictures))
        request.params()
        _ = request.controls.image_detail
    except InputError as exc:
        return exc.user_message(lang)
    if not key_set:
        return t(lang, "no_key_toast")
    return None


def decide(request: ChatRequest, lang: str, *, key_set: bool, busy: bool = False, anyway: bool = False) -> Decision:
    """What happens to the message of ``request``. ``key_set``: some key would pay
    for it; ``busy``: this page's previous answer still streams (one answer at a time
    per page: the message goes back to the box); ``anyway``: the visitor chose to send
    pictures to a model the catalogue does not know to see them."""
    has_message = bool((request.text or "").strip()) or bool(request.pictures)
    if busy and has_message:
        return Decision(REFUSE, t(lang, "busy_toast"))
    problem = refusal(request, lang, key_set=key_set)
    if problem:
        return Decision(REFUSE, problem)
    if not has_message:
        return Decision(IGNORE)
    if request.pictures and not anyway and not model_info(request.model).vision:
        return Decision(NOT_VISION)
    return Decision(ASK)
