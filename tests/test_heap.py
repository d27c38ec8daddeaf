"""The serving process's garbage collector (sfui/heap.py): app.py sets what start-up built
aside once the server is up, after collecting start-up's garbage. Each check runs in a
process of its own, so this test process's collector is left as it was."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from sfui.heap import YOUNG_THRESHOLD
from tests.support import ROOT
from tests.support.launch import free_port

# app.py as `python app.py` runs it, except that where the server would block for good, this
# reports the collector's state and whether the app answered by then, and stops.
SERVE_AND_REPORT = """
import gc, json, runpy, urllib.request
import gradio

def report(demo):
    with urllib.request.urlopen(demo.local_url + "config") as answer:
        serving = answer.status == 200
    print("REPORT " + json.dumps({"frozen": gc.get_freeze_count(), "threshold": gc.get_threshold(),
                                  "serving": serving}))
    demo.close()

gradio.Blocks.block_thread = report
runpy.run_path("app.py", run_name="__main__")
"""


def test_app_py_sets_start_up_objects_aside_once_it_serves() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SILICONFLOW_", "SFUI_", "GRADIO_"))}
    env.update(GRADIO_SERVER_NAME="127.0.0.1", GRADIO_SERVER_PORT=str(free_port()), GRADIO_ANALYTICS_ENABLED="False",
               HF_HUB_OFFLINE="1", SILICONFLOW_BASE_URL="http://127.0.0.1:9/v1")
    out = subprocess.run([sys.executable, "-c", SERVE_AND_REPORT], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    lines = [line for line in out.stdout.splitlines() if line.startswith("REPORT ")]
    assert lines, out.stdout + out.stderr
    report = json.loads(lines[-1].removeprefix("REPORT "))
    assert report["serving"]
    # The page's components, the modules and the server itself: far more than a bare interpreter holds.
    assert report["frozen"] > 50_000
    assert report["threshold"][0] == YOUNG_THRESHOLD


SETTLE = """
import gc, json, weakref
from sfui.heap import settle_after_startup

class Node:
    pass

garbage = Node(); garbage.me = garbage  # a cycle only the collector frees
collected = []
weakref.finalize(garbage, collected.append, True)
del garbage
kept = Node()
settle_after_startup()
after = Node()
print(json.dumps({"collected": bool(collected), "frozen": gc.get_freeze_count(), "threshold": gc.get_threshold(),
                  "kept_is_young": any(o is kept for o in gc.get_objects()),
                  "after_is_young": any(o is after for o in gc.get_objects())}))
"""


def test_settling_frees_start_up_garbage_and_sets_the_living_aside() -> None:
    out = subprocess.run([sys.executable, "-c", SETTLE], cwd=ROOT, capture_output=True, text=True, check=True,
                         timeout=60)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["collected"]  # garbage is freed, not set aside for good
    assert report["frozen"] > 0
    assert not report["kept_is_young"]  # alive at start-up: no collection walks it again
    assert report["after_is_young"]  # made later: collected as usual
    assert report["threshold"][0] == YOUNG_THRESHOLD
