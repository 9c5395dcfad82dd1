"""Abuse benchmark (issue 12): a normal citizen's latency and the server's memory while four
abusive clients hammer a real `troly serve` on loopback:
- oversize questions (400,000 characters, refused by the input policy),
- two clients asking questions whose LLM never answers in time (a stub LLM that waits 30 s),
- a zip-bomb DOCX upload (2 MB expanding to 315 MB) in a loop, through the admin API.
Prints the normal citizen's p50/p95/max latency, the server's peak RSS (with its loader
process) and what the abusers got back. Not a test: it prints numbers for evals/RESULTS.md.

    python -m evals.bench_abuse [--seconds 60] [--model PATH] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from assistant.core.settings import DEMO_CORPUS_DIR, PROJECT_ROOT
from evals.serve_process import serve_subprocess
from evals.machine import machine_facts, one_line
from evals.metrics import latency_summary
from evals.traffic import FALLBACK
from ui.keys import hash_key

ADMIN_KEY = "bench-abuse-admin"
CITIZEN_QUESTIONS = (*FALLBACK, "Thủ tục cấp giấy phép hoạt động phòng khám cần những gì?",
                     "Khám chữa bệnh đúng tuyến thì bảo hiểm y tế chi trả bao nhiêu?")


def zip_bomb(unpacked_mb: int = 315) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>" * 30_000
            for _ in range(unpacked_mb * (1 << 20) // len(block) + 1):
                member.write(block)
    return buffer.getvalue()


def _stalling_llm(delay_s: float) -> tuple[str, Any]:
    """An OpenAI-compatible endpoint that answers nothing for `delay_s` seconds."""
    import uvicorn
    from fastapi import FastAPI

    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def completions() -> dict:
        await asyncio.sleep(delay_s)
        return {"choices": []}

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="error", lifespan="off"))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        time.sleep(0.02)
    return f"http://127.0.0.1:{sock.getsockname()[1]}/v1", server


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (the loader process)."""
    total, stack = 0.0, [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def _loop(stop: threading.Event, outcomes: Counter, send: Any, pause_s: float = 0.0) -> None:
    with httpx.Client(timeout=120) as http:
        while not stop.is_set():
            try:
                outcomes[str(send(http).status_code)] += 1
            except httpx.HTTPError as exc:
                outcomes[type(exc).__name__] += 1
            stop.wait(pause_s)


def run(seconds: float, model: Path | None, data_dir: Path) -> dict[str, Any]:
    llm_url, llm = _stalling_llm(30.0)
    env = {"TROLY_CITIZEN_RATE_PER_MINUTE": "0", "TROLY_LLM_BASE_URL": llm_url,
           "TROLY_LLM_MODEL": "slow", "TROLY_ADMIN_KEY_HASHES": json.dumps([hash_key(ADMIN_KEY)]),
           "TROLY_STAFF_KEY_HASHES": json.dumps([hash_key(ADMIN_KEY + "-staff")])}
    if model is not None:
        env["TROLY_EMBEDDING_MODEL"] = str(model)
    subprocess.run([sys.executable, "-m", "assistant.cli", "--data-dir", str(data_dir), "index",
                    str(DEMO_CORPUS_DIR)], check=True, env={**os.environ, **env},
                   stdout=subprocess.DEVNULL)
    bomb = zip_bomb()
    abusers: dict[str, Counter] = {k: Counter() for k in ("oversize", "slow_llm", "zip_bomb")}
    latencies: list[float] = []
    rss_peak = 0.0
    try:
        with serve_subprocess(data_dir, env=env, log_path=data_dir / "serve.log") as server:
            url = server.base_url
            for q in CITIZEN_QUESTIONS[:3]:  # warm up (and let the LLM circuit learn)
                httpx.post(url + "/v1/chat", json={"message": q}, timeout=120)
            rss_idle = _tree_rss_mb(server.process.pid)
            stop = threading.Event()
            senders = [
                ("oversize", lambda h: h.post(url + "/v1/chat", json={"message": "a" * 400_000}), 0),
                ("slow_llm", lambda h: h.post(url + "/v1/chat", json={"message": FALLBACK[1]}), 0),
                ("slow_llm", lambda h: h.post(url + "/v1/chat", json={"message": FALLBACK[3]}), 0),
                ("zip_bomb", lambda h: h.post(url + "/v1/admin/documents",
                                              headers={"X-API-Key": ADMIN_KEY},
                                              files={"files": ("bom.docx", bomb, "application/"
                                                               "octet-stream")}), 1.0),
            ]
            threads = [threading.Thread(target=_loop, args=(stop, abusers[name], send, pause),
                                        daemon=True) for name, send, pause in senders]
            for t in threads:
                t.start()
            deadline = time.monotonic() + seconds
            with httpx.Client(timeout=120) as http:
                i = 0
                while time.monotonic() < deadline:
                    started = time.perf_counter()
                    res = http.post(url + "/v1/chat",
                                    json={"message": CITIZEN_QUESTIONS[i % len(CITIZEN_QUESTIONS)]})
                    res.raise_for_status()
                    latencies.append((time.perf_counter() - started) * 1000.0)
                    rss_peak = max(rss_peak, _tree_rss_mb(server.process.pid))
                    i += 1
                    time.sleep(0.2)
            stop.set()
            for t in threads:
                t.join(60)
            ready = httpx.get(url + "/readyz", timeout=30).json()
            jobs = httpx.get(url + "/v1/admin/jobs", headers={"X-API-Key": ADMIN_KEY},
                             timeout=30).json()
    finally:
        llm.should_exit = True
    return {
        "machine": machine_facts(), "seconds": seconds,
        "citizen": {"questions": len(latencies),
                    "latency_ms": latency_summary(latencies, (50, 95, 99)),
                    "max_ms": round(max(latencies), 1) if latencies else None},
        "server_rss_mb": {"idle": round(rss_idle, 1), "peak_under_abuse": round(rss_peak, 1)},
        "abusers": {k: dict(v) for k, v in abusers.items()},
        "bomb_jobs": dict(Counter(j["status"] for j in jobs)),
        "llm": ready.get("llm"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    default_model = PROJECT_ROOT / ".cache" / "test-models" / "multilingual-e5-small"
    parser.add_argument("--model", type=Path,
                        default=default_model if default_model.is_dir() else None)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="troly-abuse-") as tmp:
        result = run(args.seconds, args.model, Path(tmp))
    lat = result["citizen"]["latency_ms"]
    print(f"troly abuse benchmark — {one_line(result['machine'])}")
    print(f"normal citizen: {result['citizen']['questions']} questions in {args.seconds:.0f} s, "
          f"p50 {lat['p50']:.0f} ms, p95 {lat['p95']:.0f} ms, max {result['citizen']['max_ms']} ms")
    print(f"server RSS (with its loader process): idle {result['server_rss_mb']['idle']} MB, "
          f"peak under abuse {result['server_rss_mb']['peak_under_abuse']} MB")
    print(f"abusers: {json.dumps(result['abusers'])}; bomb jobs: {result['bomb_jobs']}")
    print(f"LLM: {json.dumps(result['llm'])}")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
