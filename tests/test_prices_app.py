"""What an answer costs, end to end against the fake SiliconFlow with prices given by an
SFUI_PRICES file (Settings.prices_file): the usage panel's cost row through the public
/chat (gradio_client), Compare's cost column and chart (its handlers driven directly),
and a conversation's answers with their costs, its total and its export."""

from __future__ import annotations

import json

import gradio as gr
import pytest
from gradio_client import Client

from sfui import conversation_files as files
from sfui import conversation_format as fmt
from sfui import conversations as conv
from sfui.compare import COST_COLUMN
from sfui.config import Settings
from sfui.params import Controls
from sfui.prices import format_money
from sfui.ui.common import AppContext
from tests.support import TEST_KEY
from tests.support.asyncutil import run_async
from tests.support.launch import PATIENT_HTTP, no_limits
from tests.test_app import REQUIRED, chat, usage_table
from tests.test_refusals import web_request

PRICED, FREE, UNKNOWN = "priced/model", "free/model", "unknown/model"
INPUT, OUTPUT = 300.0, 1200.0  # per million tokens: big enough that a short answer costs a readable sum


@pytest.fixture(scope="module")
def prices_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("prices") / "prices.json"
    path.write_text(json.dumps({PRICED: {"input": INPUT, "output": OUTPUT}, FREE: {"input": 0, "output": 0}}))
    return str(path)


@pytest.fixture(scope="module")
def api(launch_module_app, prices_file):
    app = launch_module_app(prices_file=prices_file)
    client = Client(app.url, verbose=False, httpx_kwargs=PATIENT_HTTP)
    yield client
    client.close()


def expected_cost(usage: dict[str, str]) -> str:
    prompt = int(usage["Prompt tokens"].replace(",", ""))
    completion = int(usage["Completion tokens"].replace(",", ""))  # reasoning included, billed once
    return format_money((prompt * INPUT + completion * OUTPUT) / 1_000_000, "¥")


def test_the_cost_row_is_the_tokens_times_the_price(module_fake, api):
    module_fake.reset()
    run = chat(api, "what does this cost", **{**REQUIRED, "model": PRICED})
    usage = usage_table(run.final[2])
    assert usage["Status"] == "done"
    assert usage["Cost"] == expected_cost(usage)
    assert usage["Cost"] != "¥0"


def test_the_cost_row_shows_while_the_answer_streams(module_fake, api):
    module_fake.reset()
    module_fake.token_rate = 40
    try:
        run = chat(api, " ".join(f"word{i}" for i in range(40)), **{**REQUIRED, "model": PRICED})
    finally:
        module_fake.token_rate = None
    streaming = [usage_table(out[2]) for out in run.outputs[:-1] if "Cost" in usage_table(out[2])]
    assert any(row["Status"] != "done" for row in streaming), "no cost row before the answer ended"
    for row in streaming:
        assert row["Cost"] == expected_cost(row)


@pytest.mark.parametrize(("model", "shown"), [(FREE, "free"), (UNKNOWN, "price unknown")])
def test_free_and_unknown_models_say_so(module_fake, api, model, shown):
    module_fake.reset()
    assert usage_table(chat(api, "hello", **{**REQUIRED, "model": model}).final[2])["Cost"] == shown


# --- Compare -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compare_area():
    from sfui.ui.compare_tab import render_compare_area

    with gr.Blocks():
        return render_compare_area([PRICED], [PRICED, FREE, UNKNOWN, None])


def test_compares_table_has_the_cost_of_each_answer_and_a_cost_chart(module_fake, prices_file, compare_area):
    from sfui.ui.compare_handlers import CompareHandlers

    module_fake.reset()
    ctx = AppContext(Settings(api_key=TEST_KEY, base_url=module_fake.base_url, prices_file=prices_file,
                              limits_chosen=no_limits()))
    handlers = CompareHandlers(ctx, compare_area)

    async def frames():
        return [frame async for frame in handlers.stream(web_request(), "compare the costs", None, 1, False, "",
                                                         Controls(), None, PRICED, FREE, UNKNOWN, None,
                                                         "", "", "", "")]

    after = next(value for value in run_async(frames())[-1] if isinstance(value, dict) and "rows" in value)
    rows = after["rows"]
    usage = {"Prompt tokens": str(rows[0][3]), "Completion tokens": str(rows[0][4])}
    assert format_money(rows[0][COST_COLUMN], "¥") == expected_cost(usage)
    assert [row[COST_COLUMN] for row in rows[1:]] == [0, None]  # free, price unknown
    stats, _, _, cost_chart, *_ = handlers.after(after, None)
    assert stats["headers"][COST_COLUMN] == "Cost (¥)"
    chart_rows = cost_chart["value"]["data"]
    assert len(chart_rows) == 2  # the unknown price has no bar
    assert chart_rows[0][1] == pytest.approx(rows[0][COST_COLUMN])


# --- a conversation: its answers' costs, its total, its export ---------------------------------


def test_a_conversation_keeps_each_answers_cost_totals_them_and_exports_them(module_fake, prices_file):
    from sfui.ui.chat_handlers import ChatHandlers

    module_fake.reset()
    ctx = AppContext(Settings(api_key=TEST_KEY, base_url=module_fake.base_url, prices_file=prices_file,
                              limits_chosen=no_limits()))
    chat_handlers = ChatHandlers(ctx, chatbot=gr.Chatbot())
    conversation = fmt.new_conversation(1000.0)
    history: list = []
    costs = []
    for question in ("first question", "and a second one"):
        request = chat_handlers.request(PRICED, "", Controls(), None, text=question)

        async def answer(history=history, request=request):
            return [frame async for frame in chat_handlers.ask(history, request, "en", "session-costs")]

        last = run_async(answer())[-1]
        finished = ctx.answers.take("session-costs")
        assert finished is not None
        history = last.messages
        conversation = fmt.with_messages(conversation, history, 1000.0)
        conversation = fmt.with_answer(conversation, finished.turn, finished.payload)
        usage = finished.turn.usage
        costs.append((usage.prompt_tokens * INPUT + usage.completion_tokens * OUTPUT) / 1_000_000)
        assert conversation["answers"][-1]["cost"] == {"amount": pytest.approx(costs[-1]), "currency": "¥"}
    assert fmt.total_cost(conversation) == {"¥": pytest.approx(sum(costs))}
    store = conv.save(conv.empty_store(), conversation)
    assert format_money(sum(costs), "¥") in conv.list_rows(store, "en", 1000.0)[0][0]
    exported = json.loads(files.to_json(conversation))
    assert [answer["cost"]["amount"] for answer in exported["answers"]] == pytest.approx(costs)
