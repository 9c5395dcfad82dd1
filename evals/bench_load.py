"""The load generator: N concurrent simulated users against a running `troly serve` for T
seconds. Two reports over one engine: `run` sends the citizens' mix of regulation and TTHC
questions (real phrasing from zalo_ltr and vlsp2025_drill) and dossier-status questions (codes
and factors read from the reference one-stop-shop database); `run_load` (`troly bench`) sends
questions back to back through one caller-given request.

    python -m evals.bench_load --url http://127.0.0.1:8000 --shared-data ../shared/data \\
        --reference-db data/onestop_reference.sqlite --users 20 --seconds 60

Each simulated user waits a think time between messages (reading the answer, typing the next
question: uniform 0.5–1.5 × `--think`, default 2 s); `--think 0` sends back to back (a stress
test: latency then only measures the queue). In the mix, users come through a reverse proxy on
loopback (X-Forwarded-For, trusted by uvicorn for 127.0.0.1), one address per short session, as
many citizens would. An error is a transport failure or an HTTP status >= 400."""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import random
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from evals.metrics import latency_summary, percentile
from evals.traffic import Mix, real_questions, reference_dossiers

_SESSION = 5  # requests per simulated citizen (one address each)

# One request: issue it on the client given, return its (awaitable) response.
Send = Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]
# (user number, messages this user sent so far) -> (kind of request, how to send it)
NextRequest = Callable[[int, int], tuple[str, Send]]


@dataclass
class Traffic:
    """What a run saw: latencies (ms) of the answered requests and errors, by kind."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=dict)
    wall_s: float = 0.0

    def record(self, kind: str, elapsed_ms: float, error: str) -> None:
        if error:
            label = f"{kind}: {error}" if kind else error
            self.errors[label] = self.errors.get(label, 0) + 1
        else:
            self.latencies[kind].append(elapsed_ms)

    @property
    def answered(self) -> list[float]:
        return [v for values in self.latencies.values() for v in values]

    @property
    def requests(self) -> int:
        return len(self.answered) + sum(self.errors.values())


async def _user(n: int, http: httpx.AsyncClient, next_request: NextRequest, deadline: float,
                think_s: float, traffic: Traffic) -> None:
    sent = 0
    pause = random.Random(n)
    while time.monotonic() < deadline:
        if sent and think_s > 0:
            await asyncio.sleep(think_s * pause.uniform(0.5, 1.5))
            if time.monotonic() >= deadline:
                break
        kind, send = next_request(n, sent)
        start = time.perf_counter()
        try:
            res = await send(http)
            error = f"http {res.status_code}" if res.status_code >= 400 else ""
        except httpx.HTTPError as exc:
            error = type(exc).__name__
        sent += 1
        traffic.record(kind, (time.perf_counter() - start) * 1000.0, error)


async def drive(url: str, next_request: NextRequest, users: int, seconds: float, *,
                think_s: float = 0.0, timeout_s: float = 60.0,
                transport: httpx.AsyncBaseTransport | None = None) -> Traffic:
    """`users` concurrent users send what `next_request` gives them until `seconds` are up."""
    traffic = Traffic()
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=url, timeout=timeout_s, limits=limits,
                                 transport=transport) as http:
        await asyncio.gather(*(_user(i, http, next_request, deadline, think_s, traffic)
                               for i in range(users)))
    traffic.wall_s = time.perf_counter() - started
    return traffic


def _pct(values: list[float], q: float) -> float:
    return round(percentile(values, q) or 0.0, 1)


def _mix_requests(mix: Mix) -> NextRequest:
    def next_request(user: int, sent: int) -> tuple[str, Send]:
        ip = f"10.{user}.{sent // _SESSION // 250 % 250}.{sent // _SESSION % 250 + 1}"
        kind, path, body = mix.next()
        return kind, lambda http: http.post(path, json=body, headers={"X-Forwarded-For": ip})

    return next_request


async def run(url: str, mix: Mix, users: int, seconds: float, think_s: float = 0.0,
              transport: httpx.AsyncBaseTransport | None = None) -> dict:
    """The citizens' mix; latency p50/p95/p99 of all chat requests and p50/p95 per kind."""
    traffic = await drive(url, _mix_requests(mix), users, seconds, think_s=think_s,
                          transport=transport)
    chat = [v for k, vs in traffic.latencies.items() if k != "dossier_lookup" for v in vs]
    report = {"users": users, "seconds": seconds, "think_s": think_s, "requests": traffic.requests,
              "errors": sum(traffic.errors.values()), "error_kinds": traffic.errors,
              "requests_per_s": round(traffic.requests / seconds, 1),
              "chat": {"n": len(chat), "p50_ms": _pct(chat, 50), "p95_ms": _pct(chat, 95),
                       "p99_ms": _pct(chat, 99)}}
    for kind, values in sorted(traffic.latencies.items()):
        report[kind] = {"n": len(values), "p50_ms": _pct(values, 50), "p95_ms": _pct(values, 95)}
    return report


def run_load(
    send: Callable[[httpx.AsyncClient, str], Awaitable[httpx.Response]],
    base_url: str,
    questions: Sequence[str],
    *,
    clients: int = 20,
    seconds: float = 60.0,
    timeout_s: float = 60.0,
) -> dict[str, Any]:
    """Each client sends the questions, in turn, back to back until the time is up:
    `send(http, question)` issues one request on the client given (e.g. `http.post(...)`)."""
    feed = itertools.cycle(questions)

    def next_request(_user: int, _sent: int) -> tuple[str, Send]:
        question = next(feed)
        return "", lambda http: send(http, question)

    traffic = asyncio.run(drive(base_url, next_request, clients, seconds, timeout_s=timeout_s))
    latencies, wall = traffic.answered, traffic.wall_s
    return {
        "clients": clients,
        "seconds": round(wall, 2),
        "requests": traffic.requests,
        "ok": len(latencies),
        "errors": sum(traffic.errors.values()),
        "error_kinds": traffic.errors,
        "requests_per_s": round(len(latencies) / wall, 2) if wall else None,
        "latency_ms": latency_summary(latencies, (50, 95, 99)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--shared-data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--reference-db", type=Path, required=True)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=2.0,
                        help="mean seconds a user waits between messages (0 = back to back)")
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args(argv)
    regulation, tthc = real_questions(args.shared_data)
    mix = Mix(regulation, tthc, reference_dossiers(args.reference_db))
    report = asyncio.run(run(args.url.rstrip("/"), mix, args.users, args.seconds, args.think))
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0 if report["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
