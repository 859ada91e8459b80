"""The receiver benchmark's load: many keep-alive clients in a few cheap processes, each post timed send to answer.

Each client is one keep-alive connection with one post in flight, as a browser's form post; a process
drives its share of the clients with one `selectors` loop over raw sockets, so the load costs the
shared cores little (50 Python threads with http.client cost about as much CPU as the receiver,
and fought it for the cores). A post is timed from just before its first byte is sent to the moment
its whole answer has been read; an answer read late because the loop was busy counts as late.
"""

from __future__ import annotations

import multiprocessing
import os
import selectors
import socket
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

BASE = "https://zukunft.example.de"
RETRY = 0.05  # seconds before a refused connection is tried again (the receiver is restarting)


@dataclass
class Result:
    """What one client process saw: per accepted post its latency and name; other answers; its CPU seconds."""

    latencies: list[float] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    other: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    cpu: float = 0.0


def post(number: int, sent: int) -> tuple[str, bytes]:
    """The name and the raw HTTP request of client number's sent-th post, as a browser's form post."""
    name = f"c{number}-{sent}"
    body = urlencode({"topic": "verkehr", "parent": "", "name": name, "email": f"{name}@example.org",
                      "body": "Mehr Radwege und bessere Busverbindungen in allen Stadtteilen.",
                      "consent": "ja", "bot-field": "", "form_loaded_at": "1700000000000"}).encode()
    head = (f"POST /kommentar HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Origin: {BASE}\r\nX-Forwarded-For: 10.{number}.{sent // 250 % 250}.{sent % 250}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return name, head.encode() + body


def answer(buffer: bytes) -> tuple[int, int] | None:
    """(status, length of the whole answer) once buffer holds a whole answer, else None."""
    end = buffer.find(b"\r\n\r\n")
    if end < 0:
        return None
    lines = buffer[:end].split(b"\r\n")
    length = 0
    for line in lines[1:]:
        key, _, value = line.partition(b":")
        if key.strip().lower() == b"content-length":
            length = int(value)
    total = end + 4 + length
    return (int(lines[0].split()[1]), total) if len(buffer) >= total else None


class Client:
    """One keep-alive connection and its one post in flight."""

    def __init__(self, number: int, port: int) -> None:
        self.number, self.port, self.sent = number, port, 0
        self.sock: socket.socket | None = None
        self.name, self.began, self.buffer, self.retry_at = "", 0.0, b"", 0.0

    def send(self) -> None:
        """Open the connection if needed and send the next post (one send: the request is ~400 bytes)."""
        if self.sock is None:
            self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.name, request = post(self.number, self.sent)
        self.buffer = b""
        self.began = time.perf_counter()
        self.sock.sendall(request)
        self.sock.setblocking(False)

    def close(self) -> None:
        """Drop the connection (after an error; the next send opens a new one)."""
        if self.sock is not None:
            self.sock.close()
            self.sock = None


def drive(numbers: range, port: int, seconds: float, until: int, stop: Any, out: Any) -> None:
    """One process's clients until seconds pass, until posts are acknowledged here, or stop is set."""
    result, began = Result(), os.times()
    deadline = time.perf_counter() + seconds
    loop = selectors.DefaultSelector()
    idle: list[Client] = [Client(n, port) for n in numbers]  # waiting to (re)send
    while not stop.is_set() and time.perf_counter() < deadline and not (until and len(result.latencies) >= until):
        now = time.perf_counter()
        for client in [c for c in idle if c.retry_at <= now]:
            idle.remove(client)
            try:
                client.send()
                loop.register(client.sock, selectors.EVENT_READ, client)  # type: ignore[arg-type]
            except OSError:
                result.errors += 1
                client.close()
                client.retry_at = now + RETRY
                idle.append(client)
        for key, _ in loop.select(timeout=RETRY):
            client = key.data
            try:
                chunk = client.sock.recv(65536)
                if not chunk:
                    raise ConnectionResetError("closed by the receiver")
            except OSError:
                result.errors += 1
                loop.unregister(key.fileobj)
                client.close()
                client.retry_at = time.perf_counter() + RETRY
                idle.append(client)
                continue
            client.buffer += chunk
            done = answer(client.buffer)
            if done is None:
                continue
            took = time.perf_counter() - client.began
            if done[0] == 303:
                result.latencies.append(took)
                result.acknowledged.append(client.name)
            else:
                result.other[done[0]] = result.other.get(done[0], 0) + 1
            client.sent += 1
            loop.unregister(key.fileobj)
            client.sock.settimeout(10)
            idle.append(client)
    for client in idle + [key.data for key in loop.get_map().values()]:
        client.close()
    ended = os.times()
    result.cpu = (ended.user - began.user) + (ended.system - began.system)
    out.send(result)
    out.close()


def run(port: int, clients: int, processes: int, seconds: float, until: int = 0,
        stop: Any = None) -> tuple[Result, float]:
    """Run the clients spread over processes; the merged result and the wall seconds it took."""
    ctx = multiprocessing.get_context("fork")
    stop = stop or ctx.Event()
    parts = [range(i, clients, processes) for i in range(processes)]
    pipes = [ctx.Pipe(duplex=False) for _ in parts]
    share = -(-until // processes) if until else 0
    workers = [ctx.Process(target=drive, args=(part, port, seconds, share, stop, send))
               for part, (_, send) in zip(parts, pipes)]
    began = time.perf_counter()
    for worker in workers:
        worker.start()
    merged = Result()
    for (receive, _), worker in zip(pipes, workers):
        part: Result = receive.recv()
        worker.join()
        merged.latencies += part.latencies
        merged.acknowledged += part.acknowledged
        merged.errors += part.errors
        merged.cpu += part.cpu
        for status, count in part.other.items():
            merged.other[status] = merged.other.get(status, 0) + count
    return merged, time.perf_counter() - began
