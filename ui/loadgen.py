"""Load run against a running `troly serve`: N concurrent simulated users for T seconds, mixing
regulation and TTHC questions (real citizen phrasing from zalo_ltr and vlsp2025_drill) with
dossier-status questions (codes and factors read from the reference one-stop-shop database).

    python -m ui.loadgen --url http://127.0.0.1:8000 --shared-data ../shared/data \\
        --reference-db data/onestop_reference.sqlite --users 20 --seconds 60

Each simulated user waits a think time between messages (reading the answer, typing the next
question: uniform 0.5–1.5 × `--think`, default 2 s); `--think 0` sends back to back (a stress
test: latency then only measures the queue). Users come through a reverse proxy on loopback
(X-Forwarded-For, trusted by uvicorn for 127.0.0.1), one address per short session, as many
citizens would. An error is a transport failure or an HTTP status >= 400."""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import statistics
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

import httpx

_TTHC = re.compile(
    r"thủ tục|hồ sơ|lệ phí|giấy phép|chứng chỉ|cấp lại|cấp đổi|đăng ký|giấy chứng nhận"
)
_SOURCES = (("zalo_ltr/zalo_question.json", "text"), ("vlsp2025_drill/train.json", "question"))
_SESSION = 5  # requests per simulated citizen (one address each)


def real_questions(shared: Path) -> tuple[list[str], list[str]]:
    """(regulation, tthc) questions: TTHC = the ones about procedures, dossiers, fees, permits."""
    texts = []
    for rel, key in _SOURCES:
        path = shared / rel
        if path.is_file():
            texts += [unicodedata.normalize("NFC", r[key]).strip()
                      for r in json.loads(path.read_text(encoding="utf-8")) if r.get(key)]
    tthc = [t for t in texts if _TTHC.search(t.lower())]
    regulation = [t for t in texts if not _TTHC.search(t.lower())]
    if not tthc or not regulation:
        raise SystemExit(f"no questions under {shared}")
    return regulation, tthc


def reference_dossiers(db_path: Path, limit: int = 240) -> list[tuple[str, str]]:
    """(code, phone last 4) pairs from the reference one-stop-shop database."""
    from connectors.reference.db import ReferenceStore

    store = ReferenceStore(db_path)
    try:
        return [(code, store.find(code).phone[-4:]) for code in store.codes(limit)]
    finally:
        store.close()


class Mix:
    def __init__(self, regulation: list[str], tthc: list[str], dossiers: list[tuple[str, str]],
                 seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.regulation, self.tthc, self.dossiers = regulation, tthc, dossiers
        self._dossier = 0

    def next(self) -> tuple[str, str, dict]:
        """(kind, path, json body): 40 % regulation, 35 % TTHC, 25 % dossier (half by chat)."""
        roll = self.rng.random()
        if roll < 0.40:
            return "regulation", "/v1/chat", {"message": self.rng.choice(self.regulation)}
        if roll < 0.75:
            return "tthc", "/v1/chat", {"message": self.rng.choice(self.tthc)}
        code, last4 = self.dossiers[self._dossier % len(self.dossiers)]
        self._dossier += 1
        if roll < 0.875:
            return "dossier_chat", "/v1/chat", {
                "message": f"Cho tôi hỏi tình trạng hồ sơ {code}, số điện thoại đuôi {last4}"}
        return "dossier_lookup", "/v1/dossiers/lookup", {"code": code, "verification": last4}


async def _user(n: int, http: httpx.AsyncClient, mix: Mix, deadline: float,
                results: dict[str, list[float]], errors: dict[str, int], think_s: float = 0.0) -> None:
    sent = 0
    pause = random.Random(n)
    while time.monotonic() < deadline:
        if sent and think_s > 0:
            await asyncio.sleep(think_s * pause.uniform(0.5, 1.5))
            if time.monotonic() >= deadline:
                break
        ip = f"10.{n}.{sent // _SESSION // 250 % 250}.{sent // _SESSION % 250 + 1}"
        kind, path, body = mix.next()
        start = time.perf_counter()
        try:
            res = await http.post(path, json=body, headers={"X-Forwarded-For": ip})
            error = f"{kind}: http {res.status_code}" if res.status_code >= 400 else ""
        except httpx.HTTPError as exc:
            error = f"{kind}: {type(exc).__name__}"
        elapsed = (time.perf_counter() - start) * 1000.0
        sent += 1
        if error:
            errors[error] = errors.get(error, 0) + 1
        else:
            results[kind].append(elapsed)


def _pct(values: list[float], q: float) -> float:
    if len(values) < 2:
        return round(values[0], 1) if values else 0.0
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1], 1)


async def run(url: str, mix: Mix, users: int, seconds: float, think_s: float = 0.0,
              transport: httpx.AsyncBaseTransport | None = None) -> dict:
    results: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = {}
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    async with httpx.AsyncClient(base_url=url, timeout=60.0, limits=limits, transport=transport) as http:
        await asyncio.gather(*(_user(i, http, mix, deadline, results, errors, think_s)
                               for i in range(users)))
    chat = [v for k, vs in results.items() if k != "dossier_lookup" for v in vs]
    every = [v for vs in results.values() for v in vs]
    report = {"users": users, "seconds": seconds, "think_s": think_s, "requests": len(every) + sum(errors.values()),
              "errors": sum(errors.values()), "error_kinds": errors,
              "requests_per_s": round((len(every) + sum(errors.values())) / seconds, 1),
              "chat": {"n": len(chat), "p50_ms": _pct(chat, 50), "p95_ms": _pct(chat, 95),
                       "p99_ms": _pct(chat, 99)}}
    for kind, values in sorted(results.items()):
        report[kind] = {"n": len(values), "p50_ms": _pct(values, 50), "p95_ms": _pct(values, 95)}
    return report


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
