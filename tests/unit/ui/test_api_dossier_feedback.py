from __future__ import annotations

from fakes.ui import DEMO_CODE


def test_dossier_lookup_right_factor(client, services):
    res = client.post("/v1/dossiers/lookup", json={"code": DEMO_CODE, "verification": "1234"})
    assert res.status_code == 200
    body = res.json()
    assert body["outcome"] == "ok"
    assert body["status"]["status_label"] == "Đang xử lý"
    assert services.dossier.calls[-1][2] == "testclient"


def test_dossier_lookup_wrong_factor_same_as_unknown(client):
    wrong = client.post("/v1/dossiers/lookup", json={"code": DEMO_CODE, "verification": "9999"})
    unknown = client.post("/v1/dossiers/lookup",
                          json={"code": "000.00.21.H21-251120-9999", "verification": "1234"})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()
    assert wrong.json()["status"] is None


def test_dossier_lookup_counts_outcomes_in_metrics(client):
    client.post("/v1/dossiers/lookup", json={"code": DEMO_CODE, "verification": "1234"})
    text = client.get("/metrics").text
    assert 'troly_dossier_lookups_total{outcome="ok"} 1.0' in text


def test_feedback_tied_to_answer_and_citations(client, services):
    answer = client.post("/v1/chat", json={"message": "lệ phí cấp giấy phép"}).json()
    res = client.post("/v1/feedback",
                      json={"answer_id": answer["answer_id"], "rating": "down",
                            "comment": "thiếu mức phí mới"})
    assert res.status_code == 201
    body = res.json()
    assert body["cited_units"] == [c["unit_id"] for c in answer["citations"]]
    assert services.storage.list_feedback()[0].rating == "down"


def test_feedback_unknown_answer_404_and_bad_rating_422(client):
    assert client.post("/v1/feedback",
                       json={"answer_id": "nope", "rating": "up"}).status_code == 404
    assert client.post("/v1/feedback",
                       json={"answer_id": "nope", "rating": "meh"}).status_code == 422


def test_dossier_429_carries_retry_after(client, services):
    from assistant.core.domain import DossierLookupResult

    services.dossier.lookup = lambda *a, **k: DossierLookupResult(
        "locked", "Mã hồ sơ tạm khóa", retry_after_s=412.3)
    res = client.post("/v1/dossiers/lookup", json={"code": "x", "verification": "1234"})
    assert res.status_code == 429
    assert res.headers["Retry-After"] == "413"


def test_dossier_unlock_needs_staff_or_admin_key(client, services, staff, admin):
    calls = []
    services.dossier.unlock = lambda code, client_id=None: calls.append((code, client_id)) or True
    body = {"code": "000.00.21.H21-251120-0001", "client_id": "1.2.3.4"}
    assert client.post("/v1/dossiers/unlock", json=body).status_code == 401
    assert client.post("/v1/dossiers/unlock", json=body, headers=staff).status_code == 200
    assert client.post("/v1/dossiers/unlock", json=body, headers=admin).json()["unlocked"] is True
    assert calls[0] == ("000.00.21.H21-251120-0001", "1.2.3.4")
