"""Safety checks over real HTTP against the real app (no browser needed, same live server)."""

from __future__ import annotations

import httpx
import pytest
from support.keys import E2E_ADMIN_KEY as ADMIN_KEY
from support.keys import E2E_STAFF_KEY as STAFF_KEY

pytestmark = pytest.mark.e2e
HTTP = httpx.Client(timeout=120.0)  # a busy machine answers slowly: wait, never flake

STAFF_ONLY_QUESTION = (
    "Cán bộ quầy Sở Y tế tiếp nhận và trả kết quả hồ sơ một cửa theo quy trình nào?"
)


def _staff_doc_id(url: str) -> str:
    docs = HTTP.get(url + "/v1/admin/documents", headers={"X-API-Key": ADMIN_KEY}).json()
    staff = [d for d in docs if d["audience"] == "staff"]
    assert staff, "the demo corpus has one staff document"
    return staff[0]["doc_id"]


def test_e2e_citizen_never_sees_staff_document(live_troly):
    url = live_troly.url
    staff_doc = _staff_doc_id(url)
    staff_units = HTTP.get(url + "/v1/search", params={"q": STAFF_ONLY_QUESTION, "limit": 20,
                                                        "audience": "staff"},
                            headers={"X-API-Key": STAFF_KEY}).json()["hits"]
    assert any(h["doc_id"] == staff_doc for h in staff_units)  # staff do find it
    citizen = HTTP.get(url + "/v1/search", params={"q": STAFF_ONLY_QUESTION, "limit": 20})
    assert all(h["doc_id"] != staff_doc for h in citizen.json()["hits"])
    answer = HTTP.post(url + "/v1/chat", json={"message": STAFF_ONLY_QUESTION}).json()
    staff_unit_ids = {h["unit_id"] for h in staff_units if h["doc_id"] == staff_doc}
    assert not staff_unit_ids & {c["unit_id"] for c in answer["citations"]}
    assert "DEMO-03/2025/QĐ-SYT" not in answer["answer"]


def test_e2e_admin_rejects_missing_and_wrong_keys(live_troly):
    for headers in ({}, {"X-API-Key": "sai"}, {"X-API-Key": STAFF_KEY}):
        assert HTTP.get(live_troly.url + "/v1/admin/documents", headers=headers).status_code == 401
        upload = HTTP.post(live_troly.url + "/v1/admin/documents", headers=headers,
                            files={"files": ("a.txt", b"x", "text/plain")})
        assert upload.status_code == 401


def test_e2e_upload_rejects_traversal_oversize_and_wrong_type(live_troly):
    admin = {"X-API-Key": ADMIN_KEY}
    url = live_troly.url + "/v1/admin/documents"
    traversal = HTTP.post(url, headers=admin,
                           files={"files": ("../../evil.txt", b"x", "text/plain")})
    assert traversal.status_code == 400
    wrong = HTTP.post(url, headers=admin, files={"files": ("a.pdf", b"MZ\x90", "application/pdf")})
    assert wrong.status_code == 415
    limit = live_troly.services.settings.max_upload_mb << 20
    big = HTTP.post(url, headers=admin,
                    files={"files": ("big.txt", b"a" * (limit + 1), "text/plain")})
    assert big.status_code == 413
    uploads = live_troly.services.settings.data_dir / "uploads"
    assert not (uploads / "big.txt").exists()
    assert not (live_troly.services.settings.data_dir.parent / "evil.txt").exists()


def test_e2e_metrics_and_readiness(live_troly):
    HTTP.post(live_troly.url + "/v1/chat", json={"message": "Lệ phí cấp chứng chỉ hành nghề dược?"})
    assert HTTP.get(live_troly.url + "/readyz").json()["status"] == "ready"
    text = HTTP.get(live_troly.url + "/metrics").text
    assert 'troly_answer_stage_seconds_count{stage="retrieve"}' in text
    assert "troly_index_chunks" in text
