from __future__ import annotations


def test_healthz_ok(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_reports_index_and_database(client):
    res = client.get("/readyz")
    assert res.status_code == 200
    assert res.json()["index_chunks"] == 3
    assert res.json()["checks"] == {"index": True, "database": True}


def test_readyz_not_ready_on_empty_index(client, services):
    services.chat.chunks.clear()
    res = client.get("/readyz")
    assert res.status_code == 503 and res.json()["checks"]["index"] is False


def test_metrics_exposes_requests_timings_and_index_size(client):
    client.post("/v1/chat", json={"message": "lệ phí giấy phép"})
    text = client.get("/metrics").text
    assert 'troly_http_requests_total{method="POST",route="/v1/chat",status="200"} 1.0' in text
    assert 'troly_http_request_duration_seconds_count{method="POST",route="/v1/chat"} 1.0' in text
    assert 'troly_answer_stage_seconds_count{stage="retrieval"} 1.0' in text
    assert 'troly_answers_total{channel="api-citizen",refused="false",route="regulation"}' in text
    assert "troly_index_chunks 3.0" in text


def test_metrics_labels_unknown_paths_as_unmatched(client):
    client.get("/khong-co/123")
    assert 'route="unmatched",status="404"' in client.get("/metrics").text


def test_openapi_lists_endpoints(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ["/v1/chat", "/v1/search", "/v1/dossiers/lookup", "/v1/feedback",
                 "/v1/admin/documents", "/v1/admin/jobs/{job_id}", "/v1/admin/reindex",
                 "/healthz", "/readyz"]:
        assert path in paths
    upload = paths["/v1/admin/documents"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload
    assert client.get("/docs").status_code == 200


def test_api_docs_load_their_scripts_from_troly_not_a_cdn(client):
    import re

    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        assert "cdn." not in html and "unpkg" not in html, page
        assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
        assert assets, page
        for url in assets:
            assert url.startswith("/static/api-docs/"), url
            assert client.get(url).status_code == 200, url


def test_cors_allows_only_configured_origins(client):
    ok = client.options("/v1/chat", headers={"Origin": "https://dichvucong.gialai.gov.vn",
                                              "Access-Control-Request-Method": "POST"})
    assert ok.headers["access-control-allow-origin"] == "https://dichvucong.gialai.gov.vn"
    bad = client.options("/v1/chat", headers={"Origin": "https://evil.example",
                                               "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in bad.headers


def test_widget_js_served_without_external_urls(client):
    res = client.get("/widget.js")
    assert res.status_code == 200 and "javascript" in res.headers["content-type"]
    assert "http://" not in res.text and "https://" not in res.text
    assert len(res.content) < 20_000


def test_demo_page_embeds_widget(client):
    res = client.get("/demo")
    assert res.status_code == 200 and 'src="/widget.js"' in res.text


def test_unknown_route_json_404(client):
    res = client.get("/v1/khong-co")
    assert res.status_code == 404 and res.json()["error"] == "not_found"


def test_create_app_mounts_gradio_ui_on_the_same_app(services):
    from fastapi.testclient import TestClient

    from ui.api import create_app

    with TestClient(create_app(services, with_ui=True)) as client:
        page = client.get("/ui/")
        assert page.status_code == 200 and "gradio" in page.text.lower()
        assert client.get("/", follow_redirects=False).headers["location"] == "/ui/"
        assert client.get("/healthz").status_code == 200  # the API is still there

