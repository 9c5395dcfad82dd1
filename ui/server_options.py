"""uvicorn options of `troly serve`, shared with the tests' live server
(tests/support/live_server.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# Seconds a stopping server waits for open connections (a Gradio progress stream, an SSE
# answer) before closing them: SIGTERM must stop troly promptly.
GRACEFUL_SHUTDOWN_S = 10


def server_options(trusted_proxies: Sequence[str] = ()) -> dict[str, Any]:
    """uvicorn options shared by `troly serve` and LiveServer. X-Forwarded-For is believed only
    from `trusted_proxies` (settings.trusted_proxies); with none, the peer's own address is the
    client (uvicorn's default would trust any loopback peer)."""
    return {
        "proxy_headers": bool(trusted_proxies),
        "forwarded_allow_ips": ",".join(trusted_proxies) if trusted_proxies else "",
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_S,
    }
