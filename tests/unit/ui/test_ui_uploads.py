from __future__ import annotations

import io

import pytest

from ui.uploads import UploadError, remove_upload, safe_filename, save_upload


@pytest.mark.parametrize(
    "name",
    ["../etc/passwd.txt", "..\\win.txt", "/abs.txt", "a/b.txt", ".hidden.txt", "x\x00.txt",
     "..txt", "", "a.txt.meta.json"],
)
def test_safe_filename_rejects_traversal_and_hidden(name):
    with pytest.raises(UploadError) as err:
        safe_filename(name)
    assert err.value.status == 400


def test_safe_filename_rejects_unsupported_extension():
    with pytest.raises(UploadError) as err:
        safe_filename("virus.exe")
    assert err.value.status == 415


def test_safe_filename_accepts_vietnamese_names():
    assert safe_filename("Quyết định 12 (bản sửa).pdf") == "Quyết định 12 (bản sửa).pdf"


def test_save_upload_rejects_renamed_binary(tmp_path):
    with pytest.raises(UploadError) as err:
        save_upload(io.BytesIO(b"MZ\x90\x00binary"), "thongtu.pdf", tmp_path, 1000)
    assert err.value.status == 415
    assert list(tmp_path.iterdir()) == []


def test_save_upload_rejects_oversize_and_leaves_nothing(tmp_path):
    with pytest.raises(UploadError) as err:
        save_upload(io.BytesIO(b"a" * 200_000), "dai.txt", tmp_path, 100_000)
    assert err.value.status == 413
    assert list(tmp_path.iterdir()) == []


def test_save_upload_writes_file(tmp_path):
    path = save_upload(io.BytesIO("Điều 1. Phạm vi".encode()), "qd.md", tmp_path, 1000)
    assert path == tmp_path / "qd.md"
    assert path.read_text(encoding="utf-8") == "Điều 1. Phạm vi"


def test_remove_upload_only_inside_uploads_dir(tmp_path):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    inside = uploads / "a.txt"
    inside.write_text("x")
    outside = tmp_path / "b.txt"
    outside.write_text("y")
    assert remove_upload(str(inside), uploads) and not inside.exists()
    assert not remove_upload(str(outside), uploads) and outside.exists()
