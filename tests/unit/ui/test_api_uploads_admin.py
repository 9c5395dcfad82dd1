"""Uploaded files that never became documents (unreadable, cancelled) are listed and can be
deleted by the admin; an indexed file is deleted through its document instead."""

from __future__ import annotations


def _upload(client, admin, name: str, body: bytes) -> dict:
    res = client.post("/v1/admin/documents", headers=admin,
                      files={"files": (name, body, "text/plain")})
    assert res.status_code == 202
    job_id = res.json()["job_id"]
    import time

    for _ in range(300):
        job = client.get(f"/v1/admin/jobs/{job_id}", headers=admin).json()
        if job["status"] not in ("queued", "running"):
            return job
        time.sleep(0.01)
    raise AssertionError(job)


def test_uploads_listed_with_indexed_flag_and_orphans_deletable(client, services, admin):
    _upload(client, admin, "da-lap.txt", "văn bản đã lập chỉ mục".encode())
    orphan = services.settings.data_dir / "uploads" / "hong.txt"
    orphan.write_text("không đọc được", encoding="utf-8")  # as a failed job leaves it
    assert client.get("/v1/admin/uploads").status_code == 401
    listed = {u["name"]: u for u in client.get("/v1/admin/uploads", headers=admin).json()}
    assert listed["da-lap.txt"]["indexed"] is True
    assert listed["hong.txt"]["indexed"] is False and listed["hong.txt"]["size"] > 0
    assert client.delete("/v1/admin/uploads/da-lap.txt", headers=admin).status_code == 409
    assert client.delete("/v1/admin/uploads/hong.txt", headers=admin).status_code == 200
    assert not orphan.exists()
    assert client.delete("/v1/admin/uploads/hong.txt", headers=admin).status_code == 404
    assert client.delete("/v1/admin/uploads/..%2Fui.sqlite", headers=admin).status_code in (
        400, 404)
    names = [u["name"] for u in client.get("/v1/admin/uploads", headers=admin).json()]
    assert names == ["da-lap.txt"]
