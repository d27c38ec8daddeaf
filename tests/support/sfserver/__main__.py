"""A manual server: ``python -m tests.support.sfserver [port]`` (port 0 or none: any free one).

Prints ``base_url ... api_key ...`` once it listens, then serves until Ctrl-C.
"""

from __future__ import annotations

import sys
import threading

from .server import FakeSiliconFlow


def main(argv: list[str]) -> None:
    fake = FakeSiliconFlow(port=int(argv[1]) if len(argv) > 1 else 0).start()
    print(f"base_url {fake.base_url}  api_key {fake.api_key}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main(sys.argv)
