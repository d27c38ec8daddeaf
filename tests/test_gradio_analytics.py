"""Gradio's monitoring is off (sfui/ui/gradio_analytics.py): the app's queue keeps one event
record and never rebuilds the dashboard's summary after an event, and no /monitoring route
answers. Gradio's defaults keep up to 10,000 records and rebuild the summary (a pandas table
of all of them) after every event."""

from __future__ import annotations

import requests
from gradio_client import Client

MODEL = "Qwen/Qwen3-8B"


def test_events_leave_no_records_to_summarise_and_no_dashboard_answers(launch_app):
    app = launch_app()
    client = Client(app.url, verbose=False)
    endpoint = client.view_api(return_format="dict", print_info=False)["named_endpoints"]["/chat"]
    required = {p["parameter_name"]: "" for p in endpoint["parameters"] if not p.get("parameter_has_default")}
    for question in ("one", "two", "three"):
        client.predict(**{**required, "model": MODEL, "message": question, "history": []}, api_name="/chat")
    queue = app.demo._queue
    assert queue.events_recorded >= 3  # the events went through the queue, which counts them...
    assert len(queue.event_analytics) <= 1  # ... and keeps one record, not one per event
    assert queue.cached_event_analytics_summary == {"functions": {}}  # never rebuilt
    for path in ("monitoring", "monitoring/summary"):
        response = requests.get(app.url + path, timeout=10)
        assert response.status_code == 403, (path, response.status_code, response.text[:200])
