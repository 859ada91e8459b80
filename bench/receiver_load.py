"""Load on the comment receiver: accepted posts per second, latency, memory, a kill -9 under load, the pull rate.

Usage: python bench/receiver_load.py [--seconds 60] [--clients 50] [--pull 20000] [--out bench/receiver-results.md]

The receiver runs as the real `python -m intake receive` process on 127.0.0.1; the clients are
threads in this process with keep-alive connections, each post as a browser sends it, from a
distinct visitor address (X-Forwarded-For from a trusted proxy), so the rate limit is on and costs
what it costs. Client and server share the machine's two cores.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "intake")]

from intake_support import intake_section, make_site  # noqa: E402

TOKEN = "bench-receiver-token-0123456789"
BASE = "https://zukunft.example.de"
ENV = {"PATH": os.environ.get("PATH", ""), "RECEIVER_TOKEN": TOKEN, "INTAKE_HASH_KEY": "bench"}


def site(root: Path) -> Path:
    """A site whose intake reads from the receiver; the database on the disk, not a tmpfs."""
    return make_site(root, intake_section(source="receiver", receiver={
        "url": "http://127.0.0.1:1", "database": str(root / "data" / "receiver.sqlite3"), "token_env": "RECEIVER_TOKEN",
        "trusted_proxies": ["127.0.0.1"], "rate_limit": {"count": 5, "seconds": 600}, "per_page": 1000},
        http={"timeout": 30, "retries": 3}))


def start(root: Path) -> tuple[subprocess.Popen[str], int]:
    """The receiver process and its port."""
    child = subprocess.Popen([sys.executable, "-m", "intake", "receive", "--port", "0", "--root", str(root)],
                             cwd=REPO, env=ENV, stderr=subprocess.PIPE, text=True)
    line = child.stderr.readline() if child.stderr else ""
    found = re.search(r":(\d+)/kommentar", line)
    if not found:
        raise SystemExit(f"the receiver did not start: {line}")
    threading.Thread(target=lambda: child.stderr and child.stderr.read(), daemon=True).start()  # drain the log
    return child, int(found.group(1))


def peak_rss_mib(pid: int) -> float:
    """The process's peak resident memory (VmHWM) in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Load:
    """Clients posting as fast as the receiver answers, until stop is set."""

    def __init__(self, port: int, clients: int, until: int = 0) -> None:
        self.port, self.clients, self.until = port, clients, until  # until: stop after so many acknowledged
        self.stop = threading.Event()
        self.latencies: list[float] = []
        self.acknowledged: list[str] = []
        self.other: dict[int, int] = {}
        self.errors = 0
        self.lock = threading.Lock()

    def client(self, number: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        sent = 0
        while not self.stop.is_set():
            name = f"c{number}-{sent}"
            body = urlencode({"topic": "verkehr", "parent": "", "name": name, "email": f"{name}@example.org",
                              "body": "Mehr Radwege und bessere Busverbindungen in allen Stadtteilen.",
                              "consent": "ja", "bot-field": "", "form_loaded_at": "1700000000000"})
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": BASE,
                       "X-Forwarded-For": f"10.{number}.{sent // 250 % 250}.{sent % 250}"}
            began = time.perf_counter()
            try:
                conn.request("POST", "/kommentar", body, headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                with self.lock:
                    self.errors += 1
                conn.close()
                if self.stop.wait(0.05):
                    break
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                continue
            took = time.perf_counter() - began
            with self.lock:
                if response.status == 303:
                    self.latencies.append(took)
                    self.acknowledged.append(name)
                    if self.until and len(self.acknowledged) >= self.until:
                        self.stop.set()
                else:
                    self.other[response.status] = self.other.get(response.status, 0) + 1
            sent += 1
        conn.close()

    def run(self, seconds: float, kill: subprocess.Popen[str] | None = None) -> float:
        threads = [threading.Thread(target=self.client, args=(n,)) for n in range(self.clients)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        if kill is not None:
            time.sleep(seconds / 2)
            kill.send_signal(signal.SIGKILL)  # mid-load, no warning
        self.stop.wait(seconds if kill is None else seconds / 2)
        self.stop.set()
        for thread in threads:
            thread.join()
        return time.perf_counter() - began


def pull(root: Path, port: int) -> tuple[float, list[str], str]:
    """One `intake pull` from the receiver: seconds, the names stored in the inbox, its summary."""
    path = root / "content" / "site.yaml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    settings["intake"]["receiver"]["url"] = f"http://127.0.0.1:{port}"
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "intake", "pull", "--root", str(root)], cwd=REPO, env=ENV,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"pull failed: {done.stderr}")
    names = [yaml.safe_load(p.read_text(encoding="utf-8"))["fields"]["name"]
             for p in (root / ".inbox").glob("*.yaml")]
    return seconds, names, done.stdout.strip().split("; inbox:", 1)[0]


def measure(seconds: float, clients: int, pull_count: int) -> list[str]:
    lines: list[str] = []
    with tempfile.TemporaryDirectory(dir=REPO / "bench") as tmp:
        root = site(Path(tmp) / "load")
        child, port = start(root)
        load = Load(port, clients)
        took = load.run(seconds)
        rss = peak_rss_mib(child.pid)
        ms = sorted(t * 1000 for t in load.latencies)
        p = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))] if ms else float("nan")  # noqa: E731
        lines += [f"| sustained load, {clients} clients, {took:.0f} s | {len(ms) / took:.0f} accepted/s | "
                  f"p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms, max {ms[-1] if ms else 0:.0f} ms | "
                  f"receiver peak RSS {rss:.0f} MiB | other answers {load.other or 'none'}, "
                  f"connection errors {load.errors} |"]
        drained, names, summary = pull(root, port)
        child.kill()
        child.wait()
        lost = set(load.acknowledged) - set(names)
        lines.append(f"| pull of the load's {len(load.acknowledged)} submissions | {len(names) / drained:.0f} stored/s "
                     f"| {drained:.1f} s | {summary} | lost {len(lost)}, twice {len(names) - len(set(names))} |")

        root = site(Path(tmp) / "kill")
        child, port = start(root)
        load = Load(port, clients)
        load.run(min(seconds, 20), kill=child)
        child.wait()
        child, port = start(root)  # the operator's service manager restarts it
        drained, names, summary = pull(root, port)
        child.kill()
        child.wait()
        lost = set(load.acknowledged) - set(names)
        lines.append(f"| kill -9 under load, then restart and one pull | {len(load.acknowledged)} acknowledged | "
                     f"lost {len(lost)} | twice {len(names) - len(set(names))} | "
                     f"{len(set(names) - set(load.acknowledged))} stored without an answer (killed mid-reply) |")

        if pull_count:
            root = site(Path(tmp) / "pull")
            child, port = start(root)
            fill = Load(port, clients, until=pull_count)
            fill.run(600)  # ends when pull_count posts are acknowledged
            drained, names, summary = pull(root, port)
            child.kill()
            child.wait()
            lines.append(f"| `intake pull` of {len(names)} submissions | {len(names) / drained:.0f} stored/s | "
                         f"{drained:.1f} s | {summary} | |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--pull", type=int, default=20000, help="submissions for the pull-rate row (0: skip)")
    parser.add_argument("--out", type=Path, help="also write the table to this Markdown file")
    args = parser.parse_args()
    head = ["| what | rate | latency / time | memory / summary | check |", "| --- | --- | --- | --- | --- |"]
    table = head + measure(args.seconds, args.clients, args.pull)
    print("\n".join(table))
    if args.out:
        args.out.write_text("# Receiver benchmark\n\n" + f"`python bench/receiver_load.py --seconds {args.seconds:g} "
                            f"--clients {args.clients} --pull {args.pull}` on {time.strftime('%Y-%m-%d')}\n\n"
                            + "\n".join(table) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
