"""Load on the comment receiver: accepted posts per second, latency, memory, a kill -9 under load, the pull rate.

Usage: python bench/receiver_load.py [--seconds 60] [--clients 50] [--processes 1] [--pull 20000] [--no-kill]
                                     [--out bench/receiver-results.md]

The receiver runs as the real `python -m intake receive` process on 127.0.0.1; the clients
(receiver_clients.py) are keep-alive connections driven by --processes cheap processes, each post as
a browser sends it, from a distinct visitor address (X-Forwarded-For from a trusted proxy), so the
rate limit is on and costs what it costs. Client and server share the machine's two cores, so the
table also gives the CPU seconds per accepted post of each, which the machine's other work does not
change much, and how busy the machine was.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "intake"), str(REPO / "bench")]

from intake_support import intake_section, make_site  # noqa: E402
import receiver_clients as clients  # noqa: E402
from receiver_clients import Result  # noqa: E402

TOKEN = "bench-receiver-token-0123456789"
ENV = {**{k: v for k, v in os.environ.items() if k.startswith("RX_")}, "PATH": os.environ.get("PATH", ""), "RECEIVER_TOKEN": TOKEN, "INTAKE_HASH_KEY": "bench"}


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


def cpu_seconds(pid: int) -> tuple[float, float]:
    """User and system CPU seconds of a process, all its threads, so far (from /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) / os.sysconf("SC_CLK_TCK"), int(fields[12]) / os.sysconf("SC_CLK_TCK")


def load(port: int, args: argparse.Namespace, seconds: float, until: int = 0,
         kill: subprocess.Popen[str] | None = None) -> tuple[Result, float]:
    """The clients' posts for seconds (or until so many are acknowledged); kill: kill -9 it halfway."""
    timer = threading.Timer(seconds / 2, lambda: kill and kill.send_signal(signal.SIGKILL))  # no warning
    if kill is not None:
        timer.start()
    try:
        return clients.run(port, args.clients, args.processes, seconds, until)
    finally:
        timer.cancel()


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


def machine_busy() -> tuple[float, float]:
    """CPU seconds the machine's processes have used since boot, and those the host took from it (steal)."""
    ticks = [int(t) for t in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    busy = sum(ticks) - ticks[3] - ticks[4] - ticks[7]  # all but idle, iowait and steal
    return busy / os.sysconf("SC_CLK_TCK"), ticks[7] / os.sysconf("SC_CLK_TCK")


def sustained(root: Path, args: argparse.Namespace) -> tuple[list[str], Result]:
    """The load row and the CPU row: posts per second, latency, memory, CPU per accepted post."""
    child, port = start(root)
    (user, system), machine = cpu_seconds(child.pid), machine_busy()
    result, took = load(port, args, args.seconds)
    after = cpu_seconds(child.pid)
    ended = machine_busy()
    user, system, machine, steal = after[0] - user, after[1] - system, ended[0] - machine[0], ended[1] - machine[1]
    server = user + system
    rss = peak_rss_mib(child.pid)
    ms = sorted(t * 1000 for t in result.latencies)
    p = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))] if ms else float("nan")  # noqa: E731
    n = max(1, len(ms))
    rows = [f"| sustained load, {args.clients} clients in {args.processes} process(es), {took:.0f} s | "
            f"{len(ms) / took:.0f} accepted/s | p50 {p(0.5):.1f} ms, p90 {p(0.9):.1f} ms, p99 {p(0.99):.1f} ms, "
            f"max {ms[-1] if ms else 0:.0f} ms | receiver peak RSS {rss:.0f} MiB | other answers "
            f"{result.other or 'none'}, connection errors {result.errors} |",
            f"| CPU per accepted post | receiver {server / n * 1000:.2f} ms (user {user / n * 1000:.2f}, system "
            f"{system / n * 1000:.2f}), clients {result.cpu / n * 1000:.2f} ms | "
            f"cores busy {machine / took:.2f} of {os.cpu_count()} | other work on the machine "
            f"{max(0.0, machine - server - result.cpu) / took:.2f} cores, taken by the host (steal) "
            f"{steal / took:.2f} cores | |"]
    if args.check:
        pull_and_stop(root, child, port, rows, result, "the load's")
    else:
        child.kill()
        child.wait()
    return rows, result


def pull_and_stop(root: Path, child: subprocess.Popen[str], port: int, rows: list[str], result: Result,
                  what: str) -> None:
    """Pull everything from the receiver, stop it, and add the pull's row (lost and twice checked)."""
    drained, names, summary = pull(root, port)
    child.kill()
    child.wait()
    lost = set(result.acknowledged) - set(names)
    rows.append(f"| pull of {what} {len(result.acknowledged)} submissions | {len(names) / drained:.0f} stored/s "
                f"| {drained:.1f} s | {summary} | lost {len(lost)}, twice {len(names) - len(set(names))} |")


def killed(root: Path, args: argparse.Namespace) -> str:
    """kill -9 under load, a restart, one pull: every acknowledged post must be in the inbox exactly once."""
    child, port = start(root)
    result, _ = load(port, args, min(args.seconds, 20), kill=child)
    child.wait()
    child, port = start(root)  # the operator's service manager restarts it
    drained, names, summary = pull(root, port)
    child.kill()
    child.wait()
    lost = set(result.acknowledged) - set(names)
    return (f"| kill -9 under load, then restart and one pull | {len(result.acknowledged)} acknowledged | "
            f"lost {len(lost)} | twice {len(names) - len(set(names))} | "
            f"{len(set(names) - set(result.acknowledged))} stored without an answer (killed mid-reply) |")


def measure(args: argparse.Namespace) -> list[str]:
    """Every row the options ask for."""
    with tempfile.TemporaryDirectory(dir=REPO / "bench") as tmp:
        lines, _ = sustained(site(Path(tmp) / "load"), args)
        if args.kill:
            lines.append(killed(site(Path(tmp) / "kill"), args))
        if args.pull:
            root = site(Path(tmp) / "pull")
            child, port = start(root)
            result, _ = load(port, args, 600, until=args.pull)  # ends when that many posts are acknowledged
            pull_and_stop(root, child, port, lines, result, "")
            lines[-1] = lines[-1].replace("| pull of  ", "| `intake pull` of ")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--processes", type=int, default=1, help="client processes the clients are spread over")
    parser.add_argument("--pull", type=int, default=20000, help="submissions for the pull-rate row (0: skip)")
    parser.add_argument("--no-kill", dest="kill", action="store_false", help="skip the kill -9 row")
    parser.add_argument("--no-check", dest="check", action="store_false",
                        help="skip the pull after the load (lost/twice check): quicker A/B runs")
    parser.add_argument("--out", type=Path, help="also add the table as a new dated section to this Markdown file")
    args = parser.parse_args()
    command = " ".join(["python", "bench/receiver_load.py", *sys.argv[1:]])
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())  # when the run started
    head = [f"`{command}`, {stamp}, load average before: "
            f"{os.getloadavg()[0]:.2f}", "", "| what | rate | latency / time | memory / summary | check |",
            "| --- | --- | --- | --- | --- |"]
    table = head + measure(args)
    print("\n".join(table))
    if args.out:
        old = args.out.read_text(encoding="utf-8") if args.out.exists() else "# Receiver benchmark\n"
        title, _, rest = old.partition("\n")
        args.out.write_text(f"{title}\n\n## Run of {stamp}\n\n"
                            + "\n".join(table) + "\n" + rest, encoding="utf-8")


if __name__ == "__main__":
    main()
