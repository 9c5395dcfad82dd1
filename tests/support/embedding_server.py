"""A loopback OpenAI-compatible `POST /v1/embeddings` server for RemoteEmbedder tests: it
encodes with whatever function the test gives it (the real e5, or a fake), checks the bearer
key, can fail its first requests with 503, and records the batch sizes it served."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = "sk-test-0123456789-secret"


class EmbeddingServer:
    """`POST /v1/embeddings` on 127.0.0.1 with the real model (inputs arrive prompted)."""

    def __init__(self, encode, api_key: str = SECRET, fail_first: int = 0) -> None:
        self.batches: list[int] = []
        self.fail_left = fail_first
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if self.path != "/v1/embeddings":
                    return self._reply(404, {"error": "not found"})
                if self.headers.get("Authorization") != f"Bearer {api_key}":
                    return self._reply(401, {"error": "unauthorised"})
                if server.fail_left > 0:
                    server.fail_left -= 1
                    return self._reply(503, {"error": "loading"})
                server.batches.append(len(body["input"]))
                vectors = encode(body["input"])
                data = [{"object": "embedding", "index": i, "embedding": v.tolist()}
                        for i, v in reversed(list(enumerate(vectors)))]  # any order: sorted by index
                self._reply(200, {"object": "list", "data": data, "model": body["model"]})

            def _reply(self, status: int, payload: dict) -> None:
                raw = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "EmbeddingServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
