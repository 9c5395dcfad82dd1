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


def _encoded_texts(fixtures_dir):
    loaders = fixtures_dir / "loaders"
    text = "Điều 1. Tiêm chủng vắc xin sởi cho trẻ em dưới 5 tuổi được miễn phí."
    return {
        "tcvn3.txt": (loaders / "legacy_tcvn3.txt").read_bytes(),
        "vni.txt": (loaders / "legacy_vni.txt").read_bytes(),
        "utf16.txt": text.encode("utf-16"),
        "utf16be.txt": b"\xfe\xff" + text.encode("utf-16-be"),
        "utf8bom.md": b"\xef\xbb\xbf" + text.encode(),
    }


@pytest.mark.parametrize("name", ["tcvn3.txt", "vni.txt", "utf16.txt", "utf16be.txt", "utf8bom.md"])
def test_save_upload_accepts_every_encoding_the_loader_reads(tmp_path, fixtures_dir, name):
    from indexing.loaders import load_path

    data = _encoded_texts(fixtures_dir)[name]
    path = save_upload(io.BytesIO(data), name, tmp_path / "uploads", 1 << 20)
    (document,) = load_path(path)
    assert any(ch in document.sections[0].text for ch in "ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ")


def test_save_upload_refuses_binary_renamed_as_text(tmp_path):
    with pytest.raises(UploadError) as err:
        save_upload(io.BytesIO(b"\x00\x01\x02\x03binary\x00"), "ghi-chu.txt", tmp_path, 1000)
    assert err.value.status == 415


def test_save_upload_accepts_doc_and_xlsx_by_content(tmp_path):
    import openpyxl
    from support.word97 import write_doc

    doc = write_doc(["Công văn số 12/SYT"], tmp_path / "src.doc")
    assert save_upload(io.BytesIO(doc.read_bytes()), "cong-van.doc", tmp_path / "up", 1 << 20)
    book = openpyxl.Workbook()
    book.active.append(["Tên", "Địa chỉ"])
    book.save(tmp_path / "src.xlsx")
    data = (tmp_path / "src.xlsx").read_bytes()
    assert save_upload(io.BytesIO(data), "danh-sach.xlsx", tmp_path / "up", 1 << 20)
    with pytest.raises(UploadError):
        save_upload(io.BytesIO(b"PK\x03\x04zip"), "cong-van.doc", tmp_path / "up", 1 << 20)
