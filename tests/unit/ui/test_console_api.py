"""The console API against the real app (fake chat service, real SQLite): the analytics
numbers equal the traffic sent, curated answers are served and audited, keys in the database
work and revoke, conversations are masked and exported."""

from __future__ import annotations

import csv
import io

UNANSWERED = ["Lệ phí nuôi chó mèo là bao nhiêu?", "le phi nuoi cho meo bao nhieu",
              "Cho hỏi nuôi chó mèo thì lệ phí thế nào ạ"]


def _ask(http, message, headers=None, **body):
    res = http.post("/v1/chat", json={"message": message, **body}, headers=headers or {})
    assert res.status_code == 200, res.text
    return res.json()


def test_console_analytics_counts_equal_traffic_sent(client, services, admin, staff):
    widget = [_ask(client, "lệ phí cấp giấy phép", client="widget") for _ in range(3)]
    _ask(client, "giấy phép hành nghề thời hạn", staff, audience="staff")
    _ask(client, "giấy phép hành nghề", staff, audience="staff")
    for question in UNANSWERED:
        _ask(client, question)
    client.post("/v1/feedback", json={"answer_id": widget[0]["answer_id"], "rating": "up"})
    client.post("/v1/feedback", json={"answer_id": widget[1]["answer_id"], "rating": "down"})
    client.post("/v1/feedback", json={"answer_id": widget[2]["answer_id"], "rating": "down"})
    services.storage.record_lookup("1.2.3.4", "X-1", "ok")

    report = client.get("/v1/admin/analytics", params={"days": 3}, headers=admin).json()
    totals = report["totals"]
    assert totals["questions"] == 8
    assert totals["by_channel"] == {"widget": 3, "api-staff": 2, "api-citizen": 3}
    assert totals["by_route"] == {"regulation": 8}
    assert totals["feedback"] == {"up": 1, "down": 2}
    assert totals["dossier_lookups"] == {"ok": 1}
    assert totals["unanswered"] == 3
    assert totals["latency_p95_ms"] >= totals["latency_p50_ms"] > 0
    assert [d["questions"] for d in report["days"]][-1] == 8 and len(report["days"]) == 3
    [group] = report["unanswered_groups"]
    assert group["count"] == 3 and group["refused"] + group["low_confidence"] == 3
    assert group["question"] == UNANSWERED[-1]  # the newest
    assert set(group["examples"]) == set(UNANSWERED)

    metrics = client.get("/metrics").text
    assert 'troly_exchanges_total{channel="widget",refused="false",route="regulation"} 3.0' \
        in metrics
    assert 'troly_feedback_stored_total{rating="down"} 2.0' in metrics
    assert 'troly_dossier_lookups_audited_total{outcome="ok"} 1.0' in metrics
    assert "troly_unanswered_today 3.0" in metrics


def test_console_endpoints_need_the_admin_key(client, staff):
    for path in ("/v1/admin/analytics", "/v1/admin/curated", "/v1/admin/keys",
                 "/v1/admin/conversations", "/v1/admin/conversations.csv", "/v1/admin/changes"):
        assert client.get(path).status_code == 401, path
        assert client.get(path, headers=staff).status_code == 401, path


CURATED = {
    "question": "Lệ phí nuôi chó mèo là bao nhiêu?",
    "answer": "Sở Y tế không thu lệ phí nuôi chó mèo; liên hệ trạm thú y xã.",
    "sources": [{"kind": "contact", "title": "Trạm thú y", "contact": "0269 3 000 000"}],
    "variants": ["phí nuôi thú cưng"],
}


def test_console_curated_answer_served_marked_and_audited(client, admin):
    before = _ask(client, "le phi nuoi cho meo bao nhieu")
    assert before["route"] == "regulation" and not before["curated"]
    created = client.post("/v1/admin/curated", json=CURATED, headers=admin)
    assert created.status_code == 201, created.text
    curated_id = created.json()["curated_id"]

    served = _ask(client, "le phi nuoi cho meo bao nhieu")
    assert served["curated"] and not served["refused"] and served["route"] == "curated"
    assert served["answer"].startswith("**Câu trả lời của Sở Y tế:**")
    assert served["citations"][0]["title"] == "Trạm thú y"
    unrelated = _ask(client, "giấy phép hành nghề thời hạn")
    assert not unrelated["curated"]

    patched = client.patch(f"/v1/admin/curated/{curated_id}",
                           json={"answer": "Không thu lệ phí."}, headers=admin)
    assert patched.json()["answer"] == "Không thu lệ phí."
    assert "Không thu lệ phí." in _ask(client, CURATED["question"])["answer"]
    client.post(f"/v1/admin/curated/{curated_id}/expire", headers=admin)
    assert not _ask(client, CURATED["question"])["curated"]
    assert client.delete(f"/v1/admin/curated/{curated_id}", headers=admin).status_code == 200
    assert client.get("/v1/admin/curated", headers=admin).json() == []
    actions = [c["action"] for c in client.get("/v1/admin/changes", headers=admin).json()]
    assert actions == ["curated.delete", "curated.update", "curated.update", "curated.create"]


def test_console_curated_answer_needs_a_source(client, admin):
    res = client.post("/v1/admin/curated", json={**CURATED, "sources": [{"kind": "x",
                                                                         "title": "a"}]},
                      headers=admin)
    assert res.status_code == 422
    assert "nguồn" in res.json()["message"].lower()


def test_console_keys_created_once_scoped_and_revoked(client, admin):
    res = client.post("/v1/admin/keys", json={"scope": "staff", "label": "Phòng NVY"},
                      headers=admin)
    assert res.status_code == 201
    created = res.json()
    key = created["key"]
    headers = {"X-API-Key": key}
    assert _ask(client, "giấy phép", headers, audience="staff")
    assert client.get("/v1/admin/keys", headers=headers).status_code == 401  # staff, not admin
    listed = client.get("/v1/admin/keys", headers=admin).json()
    assert [k["label"] for k in listed] == ["Phòng NVY"]
    assert "key" not in listed[0] and key not in str(listed)  # shown once only
    client.delete(f"/v1/admin/keys/{created['key_id']}", headers=admin)
    res = client.post("/v1/chat", json={"message": "giấy phép", "audience": "staff"},
                      headers=headers)
    assert res.status_code == 401
    assert client.get("/v1/admin/keys", headers=admin).json()[0]["status"] == "revoked"


def test_console_expired_key_refused(client, admin):
    key = client.post("/v1/admin/keys", json={"scope": "admin", "label": "cũ",
                                              "expires_at": "2020-01-01"}, headers=admin).json()
    assert client.get("/v1/admin/keys", headers={"X-API-Key": key["key"]}).status_code == 401


def test_console_env_keys_still_work(client, admin, staff):
    assert client.get("/v1/admin/keys", headers=admin).status_code == 200
    assert _ask(client, "giấy phép", staff, audience="staff")


def test_console_conversations_masked_and_csv_export(client, admin):
    _ask(client, "Tôi là An, số 0905123456, email an@example.com: lệ phí cấp giấy phép?")
    rows = client.get("/v1/admin/conversations", headers=admin).json()
    assert len(rows) == 1
    row = rows[0]
    assert "0905123456" not in row["question"] and "an@example.com" not in row["question"]
    assert row["channel"] == "api-citizen" and row["route"] == "regulation"
    assert row["latency_ms"] > 0 and row["citations"]
    res = client.get("/v1/admin/conversations.csv", headers=admin)
    assert res.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(res.text.lstrip("\ufeff"))))
    assert table[0][0] == "created_at" and len(table) == 2
    assert "0905123456" not in res.text
    old = client.get("/v1/admin/conversations.csv",
                     params={"from": "2020-01-01", "to": "2020-01-31"}, headers=admin)
    assert len(list(csv.reader(io.StringIO(old.text.lstrip("\ufeff"))))) == 1
