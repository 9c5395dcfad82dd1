from __future__ import annotations

import pytest


def _upload(client, headers, name="quydinh.md", content="Điều 1. Tiêm chủng vắc xin sởi miễn phí",
            audience="public", mime="text/markdown"):
    return client.post("/v1/admin/documents", headers=headers,
                       files=[("files", (name, content.encode(), mime))],
                       data={"audience": audience})


def _wait(client, headers, job_id):
    from time import sleep

    for _ in range(200):
        job = client.get(f"/v1/admin/jobs/{job_id}", headers=headers).json()
        if job["status"] in ("done", "failed"):
            return job
        sleep(0.02)
    raise AssertionError("job did not finish")


ADMIN_ROUTES = [
    ("get", "/v1/admin/documents"), ("get", "/v1/admin/documents/x"),
    ("delete", "/v1/admin/documents/x"), ("get", "/v1/admin/jobs"),
    ("get", "/v1/admin/jobs/x"), ("post", "/v1/admin/reindex"), ("get", "/v1/admin/feedback"),
    ("get", "/v1/admin/audit"), ("post", "/v1/admin/documents"),
]


@pytest.mark.parametrize("method,path", ADMIN_ROUTES)
@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "sai"}, {"Authorization": "Bearer sai"}])
def test_admin_routes_reject_missing_or_wrong_key(client, method, path, headers):
    res = getattr(client, method)(path, headers=headers)
    assert res.status_code == 401
    assert res.json()["error"] == "unauthorized"


def test_admin_staff_key_is_not_admin(client, staff):
    assert client.get("/v1/admin/documents", headers=staff).status_code == 401


def test_admin_upload_becomes_searchable(client, admin, services):
    res = _upload(client, admin)
    assert res.status_code == 202
    job = _wait(client, admin, res.json()["job_id"])
    assert job["status"] == "done" and job["summary"]["added"] == 1
    assert (services.settings.data_dir / "uploads" / "quydinh.md").exists()
    hits = client.get("/v1/search", params={"q": "tiêm chủng vắc xin sởi"}).json()["hits"]
    assert hits and "vắc xin sởi" in hits[0]["text"]


def test_admin_upload_staff_document_hidden_from_citizens(client, admin, services):
    job = _upload(client, admin, name="noibo.txt", content="Mật mã kho vắc xin nội bộ",
                  audience="staff").json()
    _wait(client, admin, job["job_id"])
    sidecar = services.settings.data_dir / "uploads" / "noibo.txt.meta.json"
    assert '"staff"' in sidecar.read_text()
    answer = client.post("/v1/chat", json={"message": "mật mã kho vắc xin nội bộ"}).json()
    assert "Mật mã" not in answer["answer"]
    assert client.get("/v1/search", params={"q": "mật mã kho vắc xin"}).json()["hits"] == []


@pytest.mark.parametrize("name", ["../../etc/cron.d/x.txt", "..\\x.txt", "/tmp/abs.txt",
                                  ".env.txt"])
def test_admin_upload_rejects_path_traversal(client, admin, services, name):
    res = _upload(client, admin, name=name)
    assert res.status_code == 400
    assert res.json()["error"] == "invalid_upload"
    assert not (services.settings.data_dir.parent / "x.txt").exists()


def test_admin_upload_rejects_wrong_type(client, admin):
    assert _upload(client, admin, name="a.exe").status_code == 415
    fake_pdf = _upload(client, admin, name="a.pdf", content="không phải pdf",
                       mime="application/pdf")
    assert fake_pdf.status_code == 415
    assert fake_pdf.json()["error"] == "unsupported_type"


def test_admin_upload_rejects_oversize(client, admin, services):
    big = "a" * (services.settings.max_upload_mb * (1 << 20) + 10)
    res = _upload(client, admin, name="big.txt", content=big)
    assert res.status_code == 413
    assert not (services.settings.data_dir / "uploads" / "big.txt").exists()


def test_admin_upload_without_files_is_422(client, admin):
    res = client.post("/v1/admin/documents", headers=admin, data={"audience": "public"})
    assert res.status_code == 422


def test_admin_upload_bad_audience_is_422(client, admin):
    assert _upload(client, admin, audience="everyone").status_code == 422


def test_admin_document_list_show_delete(client, admin, services):
    _wait(client, admin, _upload(client, admin).json()["job_id"])
    docs = client.get("/v1/admin/documents", headers=admin).json()
    assert [d["source"] for d in docs] == ["quydinh.md"]
    doc_id = docs[0]["doc_id"]
    assert client.get(f"/v1/admin/documents/{doc_id}", headers=admin).json()["doc_id"] == doc_id
    assert client.delete(f"/v1/admin/documents/{doc_id}", headers=admin).status_code == 200
    assert client.get(f"/v1/admin/documents/{doc_id}", headers=admin).status_code == 404
    assert not (services.settings.data_dir / "uploads" / "quydinh.md").exists()


def test_admin_reindex_keeps_each_documents_audience(client, admin, services):
    _wait(client, admin, _upload(client, admin, name="cong.txt").json()["job_id"])
    staff_job = _upload(client, admin, name="noibo.txt", audience="staff").json()
    _wait(client, admin, staff_job["job_id"])
    job = _wait(client, admin, client.post("/v1/admin/reindex", headers=admin).json()["job_id"])
    assert job["status"] == "done" and job["kind"] == "reindex"
    from pathlib import Path

    reindexed = {Path(p).name: aud for paths, aud in services.admin.calls[-2:] for p in paths}
    assert reindexed == {"cong.txt": "public", "noibo.txt": "staff"}


def test_admin_chat_answers_while_indexing(client, admin, services):
    services.admin.hold.clear()  # the indexing job blocks until released
    job = _upload(client, admin).json()
    try:
        running = client.get(f"/v1/admin/jobs/{job['job_id']}", headers=admin).json()
        assert running["status"] in ("queued", "running")
        res = client.post("/v1/chat", json={"message": "giấy phép hành nghề thời hạn"})
        assert res.status_code == 200 and res.json()["citations"]
    finally:
        services.admin.hold.set()
    assert _wait(client, admin, job["job_id"])["status"] == "done"


def test_admin_unknown_job_and_document_404(client, admin):
    assert client.get("/v1/admin/jobs/nope", headers=admin).status_code == 404
    assert client.delete("/v1/admin/documents/nope", headers=admin).status_code == 404


def test_admin_audit_and_feedback_lists(client, admin, services):
    services.storage.record_lookup("1.1.1.1", "C-1", "ok")
    assert client.get("/v1/admin/audit", headers=admin).json()[0]["code"] == "C-1"
    assert client.get("/v1/admin/feedback", headers=admin).json() == []


def test_admin_document_record_and_list_show_ocr_confidence(client, admin, services):
    from ui.gradio_admin import ocr_label

    _wait(client, admin, _upload(client, admin, name="scan.txt").json()["job_id"])
    (doc,) = client.get("/v1/admin/documents", headers=admin).json()
    assert doc["ocr_confidence"] is None and ocr_label(None) == ""
    services.admin.records[doc["doc_id"]].ocr_confidence = 0.873
    shown = client.get(f"/v1/admin/documents/{doc['doc_id']}", headers=admin).json()
    assert shown["ocr_confidence"] == 0.873 and ocr_label(0.873) == "87%"
