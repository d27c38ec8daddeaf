"""Gradio's monitoring, off.

Gradio records every queued event (its function, session, status and time) for its
monitoring dashboard (``/monitoring``), and after each event it rebuilds the dashboard's
summary from every record it keeps: a pandas table of up to 10,000 records, grouped and
ranked, on a worker thread that holds the interpreter lock for most of it. Every answer,
save and meter refresh pays that, and a long-running public demo pays the most, as the
records fill up (bench/gradio_analytics.py measures it). sfui serves no dashboard, so
Gradio keeps one record and never rebuilds the summary.
"""

from __future__ import annotations

import os

# Read by Gradio's queue when it is made (each gr.Blocks, each demo.queue()): how many events
# it keeps a record of, and after how many new events it rebuilds the summary (never).
QUEUE_ENVIRONMENT = {"GRADIO_ANALYTICS_MAX_EVENTS": "1", "GRADIO_ANALYTICS_CACHE_FREQUENCY": str(2**62)}
# demo.launch's: no /monitoring routes (the summary they would serve is never built).
LAUNCH_OPTIONS = {"enable_monitoring": False}


def without_gradio_analytics() -> None:
    """Before the app's gr.Blocks is made: its queues keep no event records worth a summary."""
    os.environ.update(QUEUE_ENVIRONMENT)
