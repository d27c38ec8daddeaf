"""A redis-server of the tests' own, on a free port of 127.0.0.1 in a temporary folder (never the
system's service), started as deploy/cluster.py starts one."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from deploy.cluster import free_port, program, start_redis, stop_process


@contextmanager
def running_redis() -> Iterator[str]:
    """A fresh redis-server, nothing kept on disk; yields its URL. Fails (never skips) where
    redis-server is missing: .ci/run installs it."""
    if shutil.which(program("redis-server")) is None:
        raise RuntimeError("redis-server is not installed: run .ci/run's install step (apt-get install redis-server)")
    folder = Path(tempfile.mkdtemp(prefix="sfui-tests-redis-"))
    port = free_port()
    process = start_redis(folder, port, persist=False)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop_process(process)
        shutil.rmtree(folder, ignore_errors=True)


def flushed_client(url: str):
    """A redis-py client of ``url``, its database emptied: each test starts from nothing."""
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    return client
