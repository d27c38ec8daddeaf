"""Run N sfui processes on one machine behind nginx, with Redis for what they share.

    python -m deploy.cluster --processes 4 --listen 0.0.0.0:8080

Starts, in a folder of its own (``--folder``, default ``.sfui-data/cluster``):

- ``redis-server`` on a free port of 127.0.0.1, its data kept there (append-only file), unless
  ``SFUI_REDIS_URL`` names a Redis already; the apps get that URL, so the demo's budgets, the
  rate limits and the shared votes are counted once for all of them (sfui/stores.py);
- N ``python app.py`` on free ports of 127.0.0.1, each with ``SFUI_TRUSTED_PROXIES=1``
  (nginx's entry of X-Forwarded-For is the visitor's address) unless it is set;
- nginx on ``--listen`` with deploy/nginx.conf.template filled in: sticky sessions (a
  visitor's address always reaches the same process), streams unbuffered.

Every other setting comes from the environment and ``.env``, as for ``python app.py``. A
process that exits is started again on its port. Ctrl-C or SIGTERM stops everything.
Why a Space runs one process, and how to run this under systemd: docs/deployment.md.

tests/test_cluster.py starts the same pieces through :func:`start_cluster`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
READY_TIMEOUT = 120.0  # seconds for a process to serve; a cold Gradio import on a busy box takes several


def program(name: str) -> str:
    """A program's path: on PATH, or in /usr/sbin where Debian puts nginx (not on a user's PATH)."""
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin") or name


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(ready: Callable[[], bool], what: str, process: subprocess.Popen | None = None,
               timeout: float = READY_TIMEOUT) -> None:
    """Poll ``ready()`` until it holds; fail if ``process`` exits first or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with status {process.returncode} before it was ready")
        try:
            if ready():
                return
        except OSError:
            pass  # not listening yet
        time.sleep(0.05)
    raise TimeoutError(f"{what} was not ready within {timeout:.0f} s")


def redis_pings(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=2) as connection:
        connection.sendall(b"PING\r\n")
        return connection.recv(16).startswith(b"+PONG")


def start_redis(folder: Path, port: int, persist: bool = True) -> subprocess.Popen:
    """redis-server on 127.0.0.1:``port``, its files in ``folder``; ``persist``: an append-only
    file, so the day's counters survive a restart (a test needs none)."""
    folder.mkdir(parents=True, exist_ok=True)
    args = [program("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
            "--save", "", "--appendonly", "yes" if persist else "no", "--logfile", str(folder / "redis.log")]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    wait_until(lambda: redis_pings(port), "redis-server", process)
    return process


def accepts(host: str, port: int) -> bool:
    with socket.create_connection((host, port), timeout=2):
        return True


def nginx_config(listen: str, app_ports: list[int], prefix: Path) -> str:
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for port in app_ports)
    # safe_substitute: nginx's own $variables are left as they are.
    return Template(TEMPLATE.read_text()).safe_substitute(listen=listen, servers=servers, prefix=str(prefix))


def start_nginx(prefix: Path, listen: str, app_ports: list[int]) -> subprocess.Popen:
    """nginx in the foreground with its config, logs and temporary files under ``prefix``."""
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / "tmp" / name).mkdir(parents=True, exist_ok=True)
    # Workers run as an unprivileged user when nginx is started as root: they must reach the
    # temporary files (an upload larger than a buffer goes there).
    prefix.chmod(0o755)
    (prefix / "tmp").chmod(0o1777)
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / "tmp" / name).chmod(0o1777)
    conf = prefix / "nginx.conf"
    conf.write_text(nginx_config(listen, app_ports, prefix))
    process = subprocess.Popen([program("nginx"), "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(conf),
                                "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    host, _, port = listen.rpartition(":")
    target = "127.0.0.1" if host in ("", "0.0.0.0", "*", "[::]") else host.strip("[]")
    wait_until(lambda: accepts(target, int(port)), "nginx", process)
    return process


def serving(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=5) as answer:
        return answer.status == 200


@dataclass
class AppSlot:
    """One app process and the port it serves on."""

    port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


def spawn_app(port: int, env: Mapping[str, str], log: Path) -> AppSlot:
    """``python app.py`` on 127.0.0.1:``port`` (not yet waited for)."""
    with open(log, "ab") as out:
        process = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                   env={**env, "GRADIO_SERVER_NAME": "127.0.0.1", "GRADIO_SERVER_PORT": str(port)})
    return AppSlot(port, process, log)


def stop_process(process: subprocess.Popen | None, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class Cluster:
    """N apps, nginx in front of them and (unless given a URL) the Redis they share."""

    url: str  # nginx's, for visitors
    redis_url: str
    folder: Path
    apps: list[AppSlot] = field(default_factory=list)
    nginx: subprocess.Popen | None = None
    redis: subprocess.Popen | None = None
    env: dict[str, str] = field(default_factory=dict)

    def restart_exited(self) -> list[int]:
        """Start again every app that exited; their ports."""
        restarted = []
        for i, slot in enumerate(self.apps):
            if slot.process.poll() is not None:
                self.apps[i] = spawn_app(slot.port, self.env, slot.log)
                restarted.append(slot.port)
        return restarted

    def stop(self) -> None:
        stop_process(self.nginx, signal.SIGQUIT)  # nginx's graceful stop
        for slot in self.apps:
            stop_process(slot.process)
        stop_process(self.redis)  # after the apps: their last settles reach it


def start_cluster(processes: int, listen: str, folder: Path, env: Mapping[str, str] | None = None,
                  redis_url: str | None = None, persist: bool = True) -> Cluster:
    """Start Redis (unless ``redis_url``), ``processes`` apps and nginx on ``listen``; ``env``:
    the apps' environment (default: this one's). Stops what it started if one fails."""
    folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ if env is None else env)
    cluster = Cluster(f"http://{listen.replace('0.0.0.0', '127.0.0.1')}/", redis_url or "", folder)
    try:
        if not redis_url:
            port = free_port()
            cluster.redis = start_redis(folder / "redis", port, persist)
            cluster.redis_url = f"redis://127.0.0.1:{port}/0"
        env["SFUI_REDIS_URL"] = cluster.redis_url
        env.setdefault("SFUI_TRUSTED_PROXIES", "1")
        cluster.env = env
        cluster.apps = [spawn_app(free_port(), env, folder / f"app-{i + 1}.log") for i in range(processes)]
        for slot in cluster.apps:  # started together, waited for in turn
            wait_until(lambda slot=slot: serving(slot.url), f"app on port {slot.port} (log: {slot.log})", slot.process)
        cluster.nginx = start_nginx(folder / "nginx", listen, [slot.port for slot in cluster.apps])
    except BaseException:
        cluster.stop()
        raise
    return cluster


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1,
                        help="app processes (default: one per CPU core)")
    parser.add_argument("--listen", default="127.0.0.1:8080",
                        help="nginx's address (default 127.0.0.1:8080; 0.0.0.0:80 to face the internet)")
    parser.add_argument("--folder", type=Path, default=ROOT / ".sfui-data" / "cluster",
                        help="logs, nginx's files and Redis's data")
    args = parser.parse_args(argv)
    cluster = start_cluster(args.processes, args.listen, args.folder.resolve(),
                            redis_url=os.environ.get("SFUI_REDIS_URL", "").strip() or None)
    shared = "SFUI_REDIS_URL's Redis" if cluster.redis is None else f"a Redis of its own ({cluster.redis_url})"
    print(f"sfui: {args.processes} processes behind {cluster.url}, sharing {shared}; logs in {args.folder}",
          flush=True)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    try:
        while not stopping:
            for port in cluster.restart_exited():
                print(f"sfui: the app on port {port} exited; started again", flush=True)
            if cluster.nginx is not None and cluster.nginx.poll() is not None:
                print("sfui: nginx exited; stopping", flush=True)
                return 1
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
