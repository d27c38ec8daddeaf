"""What a ``gr.skip()`` costs the server's event loop, with Gradio's postprocessing and
sfui's (sfui/ui/free_skips.py), in one run.

    python -m bench.skips [--calls 100]

On sfui's own page (``build_demo``, no server), in a lean session as the app keeps them,
each row runs one step's postprocessing ``--calls`` times both ways: the frame of the
page's Send before its first token (the chat left as the page shows it, the panels set),
the step after Send when it leaves its outputs alone, and every step of the page with all
of its outputs left alone (the mean per step). Printed: this thread's CPU time per call both
ways, and their ratio. The machine is shared: compare the rows of one run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from typing import Any


def cpu_per_call(implementation: Any, demo: Any, steps: list[tuple[Any, Any]], calls: int) -> float:
    """This thread's CPU seconds per postprocessing of each step's predictions, ``calls`` times."""
    from sfui.ui.sessions import LeanSessionState

    async def run() -> None:
        state = LeanSessionState(demo)
        for _ in range(calls):
            for block_fn, predictions in steps:
                await implementation(demo, block_fn, list(predictions), state)

    started = time.thread_time()
    asyncio.run(run())
    return (time.thread_time() - started) / (calls * len(steps))


def rows(demo: Any) -> list[tuple[str, list[tuple[Any, Any]]]]:
    import gradio as gr

    from bench.visitors import page_send

    fns = demo.fns
    send = fns[page_send(demo.get_config_file())[0]]
    after_send = next(fn for fn in fns.values() if fn.name == "after_send")
    every = [fn for fn in fns.values() if len(fn.outputs) > 1 and not fn.batch]
    return [
        ("Send, before the first token", [(send, [gr.skip(), [], "", "waiting"])]),
        ("after Send, nothing to change", [(after_send, [gr.skip()] * len(after_send.outputs))]),
        (f"every step, all left alone ({len(every)})", [(fn, [gr.skip()] * len(fn.outputs)) for fn in every]),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=100, help="postprocessings per step and row (default 100)")
    args = parser.parse_args(argv)
    from sfui.config import Settings
    from sfui.ui import build_demo
    from sfui.ui.free_skips import _gradio_postprocess, postprocess_for_free

    demo = build_demo(Settings(api_key=None))
    print(f"CPU per step's postprocessing of gr.skip() outputs, {args.calls} calls per step "
          f"(load average {os.getloadavg()[0]:.1f})")
    print("  step | Gradio's | sfui's | ratio")
    for name, steps in rows(demo):
        gradio = cpu_per_call(_gradio_postprocess, demo, steps, args.calls)
        sfui = cpu_per_call(postprocess_for_free, demo, steps, args.calls)
        print(f"  {name} | {gradio * 1000:.3f} ms | {sfui * 1000:.3f} ms | {gradio / max(sfui, 1e-9):.0f}x",
              flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
