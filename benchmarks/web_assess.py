"""Load test of the draft checker: POST /api/v1/assess on a real `heard serve`, fast tier.

Starts `heard serve` on a fresh SQLite database with one user and an API token, then runs
``--clients`` concurrent clients (default 20), each sending ``--requests`` drafts, and prints
the latency percentiles and the throughput. The drafts and customer messages are drawn from the
bundled sample help desk, so lengths are realistic (chat turns and e-mails of 20-250 words).

Two ways to load it:

- ``--rate R`` (open loop): the clients together send R drafts a second, at random (Poisson)
  moments, as agents checking drafts do; latency is the service time plus any queueing.
- without ``--rate`` (closed loop): each client sends its next draft as soon as the last answer
  arrives; this measures the most the server can take, and the latency is mostly queueing.

    .venv/bin/python benchmarks/web_assess.py [--clients 20] [--requests 50] [--rate 100]
        [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
HEARD = Path(sys.executable).parent / "heard"
SAMPLE = ROOT / "src" / "heard" / "data" / "samples" / "helpdesk.jsonl"


def first_sentence(text: str) -> str:
    """The first sentence of a message's first line that says something (a chat turn)."""
    for line in text.splitlines():
        line = line.strip()
        if len(line.split()) >= 4 and not line.endswith(","):
            return re.split(r"(?<=[.!?])\s", line, maxsplit=1)[0]
    return text.strip().splitlines()[0]


def pairs(short: bool = False) -> list[tuple[str, str]]:
    """(customer message, agent reply) pairs from the sample help desk; with ``short``, only
    each one's first sentence (a chat turn)."""
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    out: list[tuple[str, str]] = []
    last: dict[str, str] = {}
    for row in rows:
        if row["role"] == "customer":
            last[row["conversation_id"]] = row["text"]
        elif row["role"] == "agent" and row["conversation_id"] in last:
            out.append((last[row["conversation_id"]], row["text"]))
    if short:
        return [(first_sentence(c), first_sentence(r)) for c, r in out]
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Connection:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams.

    The load generator shares the two cores with the server, so it must cost little: httpx
    spends about a millisecond of CPU per request, which on this machine capped the measured
    throughput at the client. This sends prebuilt request bytes and reads the response by its
    Content-Length (heard's JSON responses always carry one).
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes, token: str) -> tuple[int, bytes]:
        try:
            return await self._post(path, body, token)
        except (ConnectionError, IndexError, asyncio.IncompleteReadError):
            # the server closed an idle keep-alive connection: connect again, send once more
            await self.close()
            self.reader = self.writer = None
            return await self._post(path, body, token)

    async def _post(self, path: str, body: bytes, token: str) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        self.writer.write(head + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        payload = await self.reader.readexactly(length)
        return int(status_line.split()[1]), payload

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def client(
    port: int,
    token: str,
    work: list[bytes],
    out: list[float],
    rate: float | None = None,
    rng: random.Random | None = None,
) -> None:
    connection = Connection("127.0.0.1", port)
    connection.reader, connection.writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for body in work:
            if rate and rng:
                await asyncio.sleep(rng.expovariate(rate))
            start = time.perf_counter()
            status, payload = await connection.post("/api/v1/assess", body, token)
            out.append(time.perf_counter() - start)
            if status != 200:
                raise RuntimeError(f"HTTP {status}: {payload[:200]!r}")
    finally:
        await connection.close()


async def run(
    port: int, token: str, clients: int, requests: int, rate: float | None, short: bool
) -> tuple[list[float], float]:
    material = [
        json.dumps({"customer": [customer], "draft": draft}).encode()
        for customer, draft in pairs(short)
    ]
    rng = random.Random(7)
    latencies: list[float] = []
    warm: list[float] = []  # one request per client first, not counted
    await asyncio.gather(
        *(client(port, token, [rng.choice(material)], warm) for _ in range(clients))
    )
    per_client = rate / clients if rate else None
    start = time.perf_counter()
    await asyncio.gather(
        *(
            client(
                port,
                token,
                [rng.choice(material) for _ in range(requests)],
                latencies,
                per_client,
                random.Random(i),
            )
            for i in range(clients)
        )
    )
    return latencies, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=50, help="per client")
    parser.add_argument("--rate", type=float, default=None, help="drafts a second, all clients")
    parser.add_argument("--workers", type=int, default=1, help="heard serve --workers")
    parser.add_argument(
        "--short", action="store_true", help="first sentences only: short chat turns"
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="heard-bench-"))
    db = folder / "heard.db"
    env = {**os.environ, "HEARD_PASSWORD": "benchmark password"}
    subprocess.run(
        [HEARD, "users", "create", "bench", "--role", "admin", "--db", db],
        check=True,
        env=env,
        capture_output=True,
    )
    token = subprocess.run(
        [HEARD, "tokens", "create", "bench", "--db", db],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    settings = folder / "heard.toml"
    settings.write_text('[web]\nassess_rate = "1000000/minute"\n')
    port = free_port()
    server = subprocess.Popen(
        [
            HEARD,
            "serve",
            "--db",
            db,
            "--port",
            str(port),
            "--config",
            settings,
            "--workers",
            str(args.workers),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(f"{base}/api/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        latencies, elapsed = asyncio.run(
            run(port, token, args.clients, args.requests, args.rate, args.short)
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    ms = sorted(1000 * x for x in latencies)

    def pct(p: float) -> float:
        return ms[min(len(ms) - 1, round(p / 100 * (len(ms) - 1)))]

    load = f"open loop at {args.rate:g}/s" if args.rate else "closed loop"
    load += ", short chat turns" if args.short else ", the sample's replies"
    print(
        f"POST /api/v1/assess, fast tier, {args.workers} worker(s), {args.clients} concurrent "
        f"clients, {load}: {len(ms)} requests in {elapsed:.1f} s ({len(ms) / elapsed:.0f}/s)"
    )
    print(
        f"latency ms: p50 {pct(50):.1f}  p95 {pct(95):.1f}  p99 {pct(99):.1f}  "
        f"max {ms[-1]:.1f}  mean {statistics.fmean(ms):.1f}"
    )


if __name__ == "__main__":
    main()
