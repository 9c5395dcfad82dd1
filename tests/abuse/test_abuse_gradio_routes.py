"""Gradio's upload and file routes, and the admin upload handler, attacked over real HTTP
(issue 12 #1): no key, wrong key, path injection through the Gradio API."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.abuse


def _cached_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def _filled(url: str, name: str, data: list) -> list:
    """`data` for the first inputs of a Gradio endpoint, the others at their defaults (the
    admin form grows fields; the attack only needs key, files and audience)."""
    info = httpx.get(f"{url}/ui/gradio_api/info", timeout=60).json()
    params = info["named_endpoints"][f"/{name}"]["parameters"]
    return data + [p.get("parameter_default") for p in params[len(data):]]


def _call(url: str, name: str, data: list, headers: dict | None = None) -> list[str]:
    """Call a Gradio event over its HTTP API; the data of every event streamed back."""
    data = _filled(url, name, data)
    with httpx.Client(timeout=60) as http:
        started = http.post(f"{url}/ui/gradio_api/call/{name}", json={"data": data},
                            headers=headers or {})
        assert started.status_code == 200, started.text
        event_id = started.json()["event_id"]
        stream = http.get(f"{url}/ui/gradio_api/call/{name}/{event_id}")
    return [line[6:] for line in stream.text.splitlines() if line.startswith("data: ")]


def test_gradio_upload_route_refuses_anonymous_uploads(gradio_troly):
    big = b"a" * (2 << 20)
    res = httpx.post(gradio_troly.url + "/ui/gradio_api/upload",
                     files={"files": ("x.txt", big, "text/plain")}, timeout=60)
    assert res.status_code == 401
    wrong = httpx.post(gradio_troly.url + "/ui/gradio_api/upload", headers={"X-API-Key": "sai"},
                       files={"files": ("x.txt", b"abc", "text/plain")}, timeout=60)
    assert wrong.status_code == 401
    assert _cached_files(gradio_troly.gradio_dir) == []


def test_gradio_upload_with_admin_key_or_cookie_then_file_route_needs_key(gradio_troly):
    url = gradio_troly.url
    res = httpx.post(url + "/ui/gradio_api/upload", headers=gradio_troly.admin,
                     files={"files": ("a.txt", b"noi dung", "text/plain")}, timeout=60)
    assert res.status_code == 200
    (path,) = res.json()
    assert Path(path).resolve().is_relative_to(gradio_troly.gradio_dir.resolve())
    cookie = httpx.post(url + "/ui/gradio_api/upload", cookies={"troly_admin_key": gradio_troly.admin_key},
                        files={"files": ("b.txt", b"noi dung", "text/plain")}, timeout=60)
    assert cookie.status_code == 200
    assert httpx.get(f"{url}/ui/gradio_api/file={path}", timeout=60).status_code == 401
    assert httpx.get(f"{url}/ui/gradio_api/file={path}", headers=gradio_troly.admin,
                     timeout=60).status_code == 200


@pytest.mark.parametrize("target", ["{project}/README.md", "{tmp}/secret.txt",
                                    "{cache}/../secret.txt"])
def test_gradio_api_path_injection_is_refused(gradio_troly, target, tmp_path):
    # the project's own files, any readable server file with an accepted extension
    (tmp_path / "secret.txt").write_text("mật khẩu máy chủ", encoding="utf-8")
    project = Path(__file__).resolve().parents[2]
    path = target.format(project=project, tmp=tmp_path, cache=gradio_troly.gradio_dir)
    file_data = {"path": path, "meta": {"_type": "gradio.FileData"}, "orig_name": "x.txt"}
    events = _call(gradio_troly.url, "do_upload", [gradio_troly.admin_key, [file_data], "public"])
    # refused by Gradio's own "not uploaded by a user" check, or by the handler
    text = " ".join(json.loads(e) and json.dumps(json.loads(e), ensure_ascii=False)
                    for e in events)
    assert events and "Xong" not in text and ("Lỗi" in text or '"error"' in text), events
    assert gradio_troly.services.admin.calls == []  # nothing indexed
    assert gradio_troly.services.admin.list_documents() == []
    assert (tmp_path / "secret.txt").exists()  # nothing outside Gradio's folder deleted


def test_gradio_upload_with_wrong_key_clears_the_cache(gradio_troly):
    url = gradio_troly.url
    (path,) = httpx.post(url + "/ui/gradio_api/upload", headers=gradio_troly.admin,
                         files={"files": ("c.txt", b"noi dung", "text/plain")}, timeout=60).json()
    file_data = {"path": path, "meta": {"_type": "gradio.FileData"}, "orig_name": "c.txt"}
    events = _call(url, "do_upload", ["sai", [file_data], "public"])
    assert any("Khóa quản trị không đúng" in json.loads(e)[0] for e in events if e != "null")
    assert not Path(path).exists()
