"""detect_format, iter_files, load_path (sidecars, audience) and load_all."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.core.errors import LoadError
from assistant.core.interfaces import DocumentLoader
from indexing.loaders import (
    LOADERS,
    detect_format,
    get_loader,
    iter_files,
    load_all,
    load_path,
    sidecar_path,
)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("phapdien_sample.html", "phapdien"), ("phapdien_stub.html", "phapdien"),
     ("page.html", "html"),
     ("tthc_9.000001.json", "tthc"), ("alqac_law.json", "alqac"), ("legacy_vni.txt", "text"),
     ("corrupt.pdf", "pdf")],
)  # fmt: skip
def test_detect_format_recognises_fixture(loader_fixtures, name, fmt):
    assert detect_format(loader_fixtures / name) == fmt


def test_every_loader_satisfies_the_protocol():
    for loader in LOADERS:
        assert isinstance(loader.format, str)
        assert callable(loader.can_load) and callable(loader.load)
        assert get_loader(loader.format) is loader
    _: tuple[DocumentLoader, ...] = LOADERS


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("cu.doc", b"\xd0\xcf\x11\xe0", "docx"), ("cau-hoi.json", b'[{"question": "?"}]', "TTHC"),
     ("anh.png", b"\x89PNG", "unsupported")],
)  # fmt: skip
def test_detect_format_explains_unsupported_files(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LoadError, match=message):
        detect_format(path)


def test_get_loader_rejects_unknown_format(loader_fixtures):
    with pytest.raises(LoadError, match="unsupported"):
        get_loader("odt")
    with pytest.raises(LoadError) as info:
        list(load_path(loader_fixtures / "page.html", fmt="odt"))
    assert info.value.path == str(loader_fixtures / "page.html")


@pytest.fixture
def corpus(tmp_path: Path, loader_fixtures: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / ".an").mkdir()
    shutil.copy(loader_fixtures / "page.html", root / "page.html")
    shutil.copy(loader_fixtures / "legacy_tcvn3.txt", root / "sub" / "cu.txt")
    (root / "sub" / "cu.txt.meta.json").write_text('{"audience": "staff"}', encoding="utf-8")
    (root / ".an" / "bi-mat.txt").write_text("ẩn", encoding="utf-8")
    (root / "anh.png").write_bytes(b"\x89PNG")
    return root


def test_iter_files_expands_folders_recursively_and_skips_hidden_sidecars_and_unknown(corpus):
    assert iter_files([corpus]) == [corpus / "page.html", corpus / "sub" / "cu.txt"]


def test_iter_files_expands_globs_and_keeps_named_files(corpus):
    assert iter_files([str(corpus / "**" / "*.txt")]) == [corpus / "sub" / "cu.txt"]
    assert iter_files([corpus / "anh.png", corpus / "anh.png"]) == [corpus / "anh.png"]
    assert iter_files([str(corpus / "*.pdf")]) == []


def test_iter_files_reports_missing_path(tmp_path):
    with pytest.raises(LoadError, match="no such file"):
        iter_files([tmp_path / "khong-co"])


def test_load_path_applies_sidecar_overrides(tmp_path, loader_fixtures):
    path = tmp_path / "page.html"
    shutil.copy(loader_fixtures / "page.html", path)
    sidecar_path(path).write_text(
        json.dumps({"title": "Hướng dẫn nội bộ", "document_number": "12/HD-SYT",
                    "audience": "staff", "replaced_by": "20/HD-SYT"}),  # fmt: skip
        encoding="utf-8",
    )
    (document,) = load_path(path, audience="public")
    assert (document.title, document.document_number) == ("Hướng dẫn nội bộ", "12/HD-SYT")
    assert document.audience == "staff"  # the sidecar wins over the run's audience
    assert (document.validity, document.replaced_by) == ("replaced", "20/HD-SYT")
    assert document.sections[0].source.document_number == "12/HD-SYT"


def test_load_path_uses_audience_argument_without_sidecar(loader_fixtures):
    (document,) = load_path(loader_fixtures / "page.html", audience="staff")
    assert document.audience == "staff"
    (default,) = load_path(loader_fixtures / "page.html")
    assert default.audience == "public"


@pytest.mark.parametrize(
    "meta", ['{"audience": "everyone"}', '{"validity": "maybe"}', "[1, 2]", "{bad"]
)
def test_load_path_rejects_invalid_sidecar(tmp_path, loader_fixtures, meta):
    path = tmp_path / "page.html"
    shutil.copy(loader_fixtures / "page.html", path)
    sidecar_path(path).write_text(meta, encoding="utf-8")
    with pytest.raises(LoadError) as info:
        list(load_path(path))
    assert info.value.path.endswith(".meta.json")


def test_load_path_rejects_invalid_audience_argument(loader_fixtures):
    with pytest.raises(LoadError, match="audience"):
        list(load_path(loader_fixtures / "page.html", audience="citizen"))


def test_load_path_with_explicit_format_overrides_detection(loader_fixtures):
    (document,) = load_path(loader_fixtures / "phapdien_sample.html", fmt="html")
    assert document.format == "html" and len(document.sections) == 1


def test_load_all_collects_failures_without_stopping(corpus, loader_fixtures, tmp_path):
    bad = tmp_path / "hong.pdf"
    shutil.copy(loader_fixtures / "corrupt.pdf", bad)
    documents, failed = load_all([corpus, bad, tmp_path / "khong-co"])
    assert sorted(d.format for d in documents) == ["html", "text"]
    assert next(d for d in documents if d.format == "text").audience == "staff"
    assert [Path(f.path).name for f in failed] == ["hong.pdf", "khong-co"]
    assert all(" / " in f.reason for f in failed)  # Vietnamese / English


@pytest.mark.parametrize("title", [
    "<img src=x onerror=alert(1)>Quy định tiêm chủng",
    "Quy định <b>tiêm chủng</b>",
    "Quy định &lt;script&gt;alert(1)&lt;/script&gt;tiêm chủng",
])
def test_html_tags_stripped_from_titles_at_ingestion(tmp_path, title):
    # issue 12: the API returned raw HTML titles (unsafe for a page that uses innerHTML)
    page = tmp_path / "trang.html"
    page.write_text(f"<html><head><title>{title}</title></head><body><p>Nội dung về tiêm "
                    "chủng mở rộng cho trẻ em dưới 1 tuổi.</p></body></html>", encoding="utf-8")
    md = tmp_path / "ghi-chu.md"
    md.write_text("Nội dung về tiêm chủng mở rộng.", encoding="utf-8")
    sidecar_path(md).write_text(json.dumps({"title": title}), encoding="utf-8")
    for path in (page, md):
        (document,) = load_path(path)
        assert "<" not in document.title and ">" not in document.title, document.title
        assert "tiêm chủng" in document.title


def test_plain_title_keeps_text_that_is_no_tag():
    from indexing.loaders import plain_title

    assert plain_title("Trẻ em < 6 tuổi & người > 60 tuổi") == "Trẻ em < 6 tuổi & người > 60 tuổi"
    assert plain_title("A<b>B</b>") == "A B"
