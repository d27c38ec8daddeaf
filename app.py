"""sfui: chat with SiliconFlow models in the browser. The Hugging Face Spaces entry point.

    python app.py        # serves on GRADIO_SERVER_NAME:GRADIO_SERVER_PORT (default 127.0.0.1:7860)
"""

import logging

from sfui.config import Settings
from sfui.heap import settle_after_startup

# Read .env before Gradio is imported: Gradio reads GRADIO_SERVER_PORT at import time.
settings = Settings.from_env()

from sfui.ui import build_demo, launch_options, queue_options, startup_lines  # noqa: E402

demo = build_demo(settings)

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # The owner reads which limits guard the server's key, and "NO LIMIT" where one is 0.
    for line in startup_lines(settings):
        logging.getLogger("sfui").info(line)
    demo.queue(**queue_options(settings)).launch(prevent_thread_lock=True, **launch_options(settings, demo))
    # Everything built so far lives as long as the server: out of the collector's way (sfui/heap.py).
    settle_after_startup()
    demo.block_thread()
