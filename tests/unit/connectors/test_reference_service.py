from collections import Counter
from datetime import date

import pytest
from fastapi.testclient import TestClient

from assistant.core.dossier_codes import normalize_code
from connectors.reference.db import ReferenceStore
from connectors.reference.demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_SPECS, demo_dossiers
from connectors.reference.procedures import PROCEDURES
from connectors.reference.seed import generate
from connectors.reference.server import build_reference_app
from connectors.reference.tokens import TokenIssuer
from fakes.clock import FakeClock

ANCHOR = date(2025, 12, 15)
TOKEN_PATH = "/auth/realms/digo/protocol/openid-connect/token"
SEARCH_PATH = "/pa/dossier-search/dvc"


def test_generate_is_deterministic_for_seed_and_anchor() -> None:
    first = [(d.code, d.person.phone, d.timeline.status_code) for d in generate(3, ANCHOR, 60)]
    again = [(d.code, d.person.phone, d.timeline.status_code) for d in generate(3, ANCHOR, 60)]
    other = [(d.code, d.person.phone, d.timeline.status_code) for d in generate(4, ANCHOR, 60)]
    assert first == again and first != other


def test_generated_dossiers_are_realistic() -> None:
    dossiers = generate(1, ANCHOR, 240)
    codes = [d.code for d in dossiers]
    assert len(set(codes)) == len(codes)
    assert all(normalize_code(code) == code for code in codes)
    statuses = Counter(d.timeline.status_code for d in dossiers)
    assert statuses[5] > 0 and statuses[6] > 0 and statuses[10] > 0
    overdue = [d for d in dossiers if d.timeline.status_code == 4 and d.timeline.due_date < ANCHOR]
    assert overdue, "some dossiers should be overdue"
    assert all(d.timeline.applied_at.date() <= ANCHOR for d in dossiers)
    assert {d.procedure.code for d in dossiers} <= {p.code for p in PROCEDURES}
    for d in dossiers:
        times = [e.at for e in d.timeline.events]
        assert times == sorted(times), d.code


def test_demo_dossiers_match_their_specs_and_the_database() -> None:
    demos = demo_dossiers(ANCHOR)
    assert len(demos) == len(DEMO_SPECS)
    store = ReferenceStore(None)
    store.ensure_seeded(7, ANCHOR, 30)
    for demo, spec in zip(demos, DEMO_SPECS, strict=True):
        row = store.find(demo.code)
        assert row is not None and row.status_code == spec.status_code
        assert row.phone.endswith(demo.phone_last4) and row.id_number.endswith(demo.id_last4)


def test_store_keeps_its_anchor_when_reopened(tmp_path) -> None:
    path = tmp_path / "ref.sqlite"
    ReferenceStore(path).ensure_seeded(1, ANCHOR, 10)
    assert ReferenceStore(path).ensure_seeded(1, date(2026, 1, 1), 10) == ANCHOR


@pytest.fixture(scope="module")
def client() -> TestClient:
    ref = build_reference_app(anchor=ANCHOR, count=20)
    with TestClient(ref.app) as test_client:
        test_client.demo = demo_dossiers(ref.anchor)  # type: ignore[attr-defined]
        yield test_client


def _token(client: TestClient) -> str:
    response = client.post(TOKEN_PATH, data={"grant_type": "client_credentials"},
                           auth=(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET))
    assert response.status_code == 200
    return response.json()["access_token"]


def test_token_endpoint_rejects_bad_secret_and_unknown_realm(client: TestClient) -> None:
    bad = client.post(TOKEN_PATH, data={"grant_type": "client_credentials"},
                      auth=(DEMO_CLIENT_ID, "wrong"))
    assert bad.status_code == 401
    form = client.post(TOKEN_PATH, data={"grant_type": "client_credentials",
                                         "client_id": DEMO_CLIENT_ID,
                                         "client_secret": DEMO_CLIENT_SECRET})
    assert form.status_code == 200
    realm = client.post("/auth/realms/other/protocol/openid-connect/token",
                        data={"grant_type": "client_credentials"},
                        auth=(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET))
    assert realm.status_code == 404


def test_search_requires_a_token_and_returns_the_exact_dossier(client: TestClient) -> None:
    code = client.demo[0].code  # type: ignore[attr-defined]
    assert client.get(SEARCH_PATH, params={"code": code}).status_code == 401
    headers = {"Authorization": f"Bearer {_token(client)}"}
    found = client.get(SEARCH_PATH, params={"code": code.lower()}, headers=headers).json()
    assert [item["code"] for item in found["content"]] == [code]
    assert found["content"][0]["applyMethod"]["name"]
    missing = client.get(SEARCH_PATH, params={"code": "000.00.21.H21-990101-0001"},
                         headers=headers).json()
    assert missing["content"] == []


def test_test_hooks_are_off_unless_enabled(client: TestClient) -> None:
    assert client.post("/__test__/faults", json={"kind": "error500"}).status_code in (404, 405)


def test_token_issuer_tokens_expire() -> None:
    clock = FakeClock()
    issuer = TokenIssuer({"c": "s3cr3t-value"}, ttl_s=10, clock=clock)
    token = issuer.issue()
    assert issuer.valid(token)
    clock.now = 10.0
    assert not issuer.valid(token)
    assert "s3cr3t-value" not in repr(issuer) and token not in repr(issuer)


def test_test_hooks_inject_faults_and_revoke_tokens_over_http() -> None:
    ref = build_reference_app(anchor=ANCHOR, count=5, test_hooks=True)
    with TestClient(ref.app) as hooks:
        code = demo_dossiers(ANCHOR)[0].code
        headers = {"Authorization": f"Bearer {_token(hooks)}"}
        assert hooks.post("/__test__/faults", json={"kind": "error500", "count": 1}).status_code == 200
        assert hooks.get(SEARCH_PATH, params={"code": code}, headers=headers).status_code == 500
        assert hooks.get(SEARCH_PATH, params={"code": code}, headers=headers).status_code == 200
        assert hooks.post("/__test__/faults", json={"kind": "nonsense"}).status_code == 422
        hooks.post("/__test__/revoke-tokens")
        assert hooks.get(SEARCH_PATH, params={"code": code}, headers=headers).status_code == 401
        assert hooks.get("/__test__/stats").json()["search_requests"] == 3
