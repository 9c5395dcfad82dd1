"""Uploads write and read the sidecar the loaders read (`indexing.loaders.sidecar`), so an
upload's audience and declared status reach the index, and the uploads list reads them back."""

from __future__ import annotations

import io
import json

from indexing.loaders import load_path
from indexing.loaders.sidecar import sidecar_path
from ui.uploads import list_uploads, remove_upload, store_uploads


def _upload(tmp_path, audience: str):
    files = [("thongbao.txt", io.BytesIO("Thông báo nội bộ về lịch trực.".encode()))]
    return store_uploads(files, tmp_path, 10_000, audience)[0]


def test_upload_sidecar_is_the_one_the_loader_reads(tmp_path) -> None:
    path = _upload(tmp_path, "staff")
    assert sidecar_path(path).is_file()
    assert {d.audience for d in load_path(path)} == {"staff"}
    assert [u.audience for u in list_uploads(tmp_path, [])] == ["staff"]
    assert remove_upload(str(path), tmp_path)
    assert not sidecar_path(path).exists()


def test_upload_with_only_a_declared_status_stays_public(tmp_path) -> None:
    path = _upload(tmp_path, "public")
    sidecar_path(path).write_text(json.dumps({"validity": "expired"}), encoding="utf-8")
    assert {d.audience for d in load_path(path)} == {"public"}
    assert [u.audience for u in list_uploads(tmp_path, [])] == ["public"]
