"""Gradio's own file routes behind the admin key.

Gradio serves `/upload` (anyone could store 25 MB files in its cache), `/file=` (anyone could
read that cache back) and a few developer routes. Only the admin tab uploads files, so these
routes answer 401 unless the request carries an admin key: the `X-API-Key` / Bearer header, or
the `troly_admin_key` cookie that the admin tab sets (path /ui, SameSite=Strict) when the key
is typed. The check runs before Gradio reads a single byte of the body."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ui.keys import KeyRing

ADMIN_COOKIE = "troly_admin_key"
# Routes below the UI mount, with or without Gradio's `/gradio_api` prefix.
_ADMIN_ONLY = ("upload", "upload_progress", "file=", "file/", "process_recording",
               "run-history", "profiling", "monitoring", "vibe", "undo-vibe-edit", "dev/")
Scope = dict[str, Any]

# The admin key textbox runs this in the browser on every change: the cookie goes with the
# Gradio client's upload request (same origin, path /ui only; never sent cross-site).
SET_COOKIE_JS = (
    "(k) => { document.cookie = '" + ADMIN_COOKIE + "=' + encodeURIComponent(k || '') + "
    "'; path=/ui; SameSite=Strict' + (location.protocol === 'https:' ? '; Secure' : '') "
    "+ (k ? '' : '; Max-Age=0'); return k; }"
)


def admin_only(path: str, mount: str) -> bool:
    if not path.startswith(mount + "/"):
        return False
    rest = path[len(mount) + 1:].removeprefix("gradio_api/")
    return rest.startswith(_ADMIN_ONLY)


def presented_admin_key(scope: Scope) -> str | None:
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    if headers.get("x-api-key"):
        return headers["x-api-key"].strip()
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    cookie = SimpleCookie()
    try:
        cookie.load(headers.get("cookie", ""))
    except Exception:  # noqa: BLE001 - a malformed cookie header is no key
        return None
    morsel = cookie.get(ADMIN_COOKIE)
    return unquote(morsel.value) if morsel is not None and morsel.value else None


class GradioAdminRoutes:
    """ASGI middleware: 401 on Gradio's file routes without an admin key."""

    def __init__(self, app: Callable, keys: KeyRing, mount: str = "/ui") -> None:
        self.app = app
        self.keys = keys
        self.mount = mount

    async def __call__(self, scope: Scope, receive: Callable[[], Awaitable[dict]],
                       send: Callable[[dict], Awaitable[None]]) -> None:
        if (scope["type"] == "http" and admin_only(scope["path"], self.mount)
                and not self.keys.matches(presented_admin_key(scope))):
            body = json.dumps({
                "error": "unauthorized",
                "message": "Cần khóa quản trị hợp lệ để tải tệp lên / an admin key is required "
                           "to upload or read files",
            }, ensure_ascii=False).encode("utf-8")
            await send({"type": "http.response.start", "status": 401, "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


def gradio_upload_folder() -> Path:
    from gradio.utils import get_upload_folder

    return Path(get_upload_folder()).resolve()


def confined(paths: list[str], folder: Path) -> tuple[list[Path], list[str]]:
    """(files inside Gradio's upload folder, names of the refused others). Symlinks and '..'
    are resolved first, so nothing outside the folder gets through."""
    inside: list[Path] = []
    refused: list[str] = []
    for raw in paths:
        path = Path(raw).resolve()
        if path.is_relative_to(folder) and path.is_file():
            inside.append(path)
        else:
            refused.append(Path(raw).name)
    return inside, refused


def discard(paths: list[str], folder: Path) -> None:
    """Delete Gradio's cached copies (and their emptied per-upload folder); never anything
    outside the upload folder."""
    for path in confined(paths, folder)[0]:
        path.unlink(missing_ok=True)
        parent = path.parent
        if parent != folder and parent.is_relative_to(folder) and not any(parent.iterdir()):
            parent.rmdir()
