"""What Gradio's monitoring records cost each queued event, with Gradio's defaults and as
sfui sets them (sfui/ui/gradio_analytics.py), in one run.

    python -m bench.gradio_analytics [--records 200,2000,10000] [--events 40]

For each number of events the app has already served (its queue's records fill up to
Gradio's limit, 10,000, on a busy server), a real ``gradio.queueing.Queue`` (made by
``demo.queue()``, under each environment) goes through ``--events`` more events the way
Gradio's queue does: a record on arrival (trimmed to the limit), then, as the event ends,
its status and ``compute_analytics_summary`` over a copy of every record (Gradio runs it on
a worker thread). Printed: the CPU time per event of that bookkeeping (this thread's), both
ways, and their ratio. The machine is shared: compare the rows of one run.
"""

from __future__ import annotations

import argparse
import os
import random
import time
import uuid

FUNCTIONS = ("chat", "after_send", "save_conversation", "budget_meter", "model_list")


def make_queue(environment: dict[str, str]):
    """A demo's queue made under ``environment`` (Gradio reads it when the queue is made)."""
    import gradio as gr

    saved = {name: os.environ.get(name) for name in environment}
    os.environ.update(environment)
    try:
        with gr.Blocks() as demo:
            gr.Textbox()
        return demo.queue()._queue
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def serve(queue, events: int, summarise: bool = True) -> float:
    """Book ``events`` events as Gradio's queue does; this thread's CPU seconds for them.
    ``summarise``: False for the events served before, whose summaries are not measured."""
    started = time.thread_time()
    for _ in range(events):
        event_id = uuid.uuid4().hex
        queue.event_analytics[event_id] = {"time": time.time(), "status": "queued", "process_time": None,
                                           "function": random.choice(FUNCTIONS), "session_hash": uuid.uuid4().hex}
        queue.events_recorded += 1
        while len(queue.event_analytics) > queue.ANALYTICS_MAX_EVENTS:
            queue.event_analytics.pop(next(iter(queue.event_analytics)))
        record = queue.event_analytics.get(event_id)
        if record is not None:
            record.update(status="success", process_time=random.uniform(0.01, 3.0))
        if summarise:
            queue.compute_analytics_summary(list(queue.event_analytics.values()))
    return time.thread_time() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", default="200,2000,10000", help="events served before (default 200,2000,10000)")
    parser.add_argument("--events", type=int, default=40, help="events measured at each size (default 40)")
    args = parser.parse_args(argv)
    from sfui.ui.gradio_analytics import QUEUE_ENVIRONMENT

    saved = {name: os.environ.pop(name) for name in QUEUE_ENVIRONMENT if name in os.environ}
    try:
        measure(args, QUEUE_ENVIRONMENT)  # Gradio's defaults unless a row sets them
    finally:
        os.environ.update(saved)
    return 0


def measure(args: argparse.Namespace, sfui_environment: dict[str, str]) -> None:
    print(f"CPU per queued event of Gradio's monitoring records, {args.events} events per row "
          f"(load average {os.getloadavg()[0]:.1f})")
    print("  served before | Gradio's defaults | sfui's | ratio")
    for records in (int(n) for n in args.records.split(",")):
        costs = {}
        for name, environment in (("gradio", {}), ("sfui", sfui_environment)):
            queue = make_queue(environment)
            serve(queue, records, summarise=False)
            costs[name] = serve(queue, args.events) / args.events
        print(f"  {records:13,d} | {costs['gradio'] * 1000:14.2f} ms | {costs['sfui'] * 1000:6.3f} ms | "
              f"{costs['gradio'] / max(costs['sfui'], 1e-9):5.0f}x", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
