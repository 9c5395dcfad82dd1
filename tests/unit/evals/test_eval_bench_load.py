import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from evals.bench_load import run_load
from evals.serve_process import wait_until_up
from evals.traffic import traffic_questions


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        status = 500 if "lỗi" in body["message"] else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def do_GET(self):  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_run_load_counts_requests_errors_and_rate(server):
    wait_until_up(server + "/health", 5)

    def send(http, question):
        return http.post("/chat", json={"message": question})

    result = run_load(send, server, ["câu hỏi 1", "câu hỏi lỗi", "câu hỏi 2"], clients=3, seconds=0.4)
    assert result["requests"] == result["ok"] + result["errors"]
    assert result["ok"] > 0 and result["errors"] > 0
    assert set(result["error_kinds"]) == {"http 500"}
    assert result["requests_per_s"] > 0
    assert result["latency_ms"]["p50"] <= result["latency_ms"]["p99"]


def test_traffic_questions_is_reproducible_and_sized(tmp_path):
    (tmp_path / "zalo_ltr").mkdir()
    records = [{"text": f"Câu hỏi số {i}?"} for i in range(5)]
    (tmp_path / "zalo_ltr" / "zalo_question.json").write_text(json.dumps(records, ensure_ascii=False))
    first = traffic_questions(tmp_path, n=12, seed=1)
    assert first == traffic_questions(tmp_path, n=12, seed=1)
    assert len(first) == 12 and set(first) == {r["text"] for r in records}
    assert traffic_questions(tmp_path / "missing", n=2)  # falls back to the built-in list
