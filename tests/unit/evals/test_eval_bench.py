import unicodedata

from assistant.core.domain import Answer
from evals.bench import format_summary
from evals.bench_indexing import change_one_file, copy_corpus
from evals.bench_queries import bench_queries
from evals.machine import machine_facts


class _SlowService:
    def __init__(self):
        self.asked, self.searched = [], []

    def search(self, query, *, audience="citizen", limit=10):
        self.searched.append(query)
        if query == "hỏng":
            raise RuntimeError("boom")
        return []

    def ask(self, message, *, audience="citizen", conversation_id=None, client_id="local"):
        self.asked.append(message)
        return Answer("", [], "regulation", False, 0.0)


def test_bench_queries_warms_up_then_times_distinct_calls():
    service = _SlowService()
    result = bench_queries(service, ["w1", "w2", "a", "hỏng", "b"], n_search=6, n_answer=3, warmup=2)
    assert service.asked[:2] == ["w1", "w2"] and len(service.asked) == 5
    assert service.searched == ["a", "hỏng", "b", "a", "hỏng", "b"]
    assert result["retrieval"]["n"] == 4 and result["retrieval"]["errors"] == 2
    assert set(result["answer"]["latency_ms"]) == {"p50", "p95", "p99"}
    assert result["peak_rss_mb"] > 0


def test_change_one_file_changes_text_content_of_nfd_file(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    body = unicodedata.normalize("NFD", "<p>Người bệnh và người nhà phải tuân thủ nội quy.</p>") * 100
    (src / "a.html").write_text(body, encoding="utf-8")
    (src / "b.txt").write_text("ngắn", encoding="utf-8")
    (copy,) = copy_corpus([src], tmp_path / "copy")
    changed = change_one_file([copy])
    assert changed.name == "a.html"
    text = unicodedata.normalize("NFC", changed.read_text(encoding="utf-8"))
    assert text.count("và cả người nhà") == 1
    assert (src / "a.html").read_text(encoding="utf-8") == body  # the original is untouched


def test_change_one_file_keeps_a_json_record_valid_and_changes_its_text(tmp_path):
    import json

    record = {"ma_thu_tuc": "1.013562", "ten": "Cấp giấy phép hành nghề khám bệnh, chữa bệnh",
              "thanh_phan": [{"ten_giay_to": "Đơn đề nghị cấp giấy phép"}], "ghi_chu": "x" * 3000}
    (tmp_path / "1.013562.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    changed = change_one_file([tmp_path])
    data = json.loads(changed.read_text(encoding="utf-8"))  # still valid JSON
    assert data["ten"] == record["ten"] + " (sửa đổi)"
    assert data["thanh_phan"] == record["thanh_phan"] and data["ghi_chu"] == record["ghi_chu"]


def test_format_summary_shows_errors_and_numbers():
    result = {
        "machine": machine_facts(), "data_dir": "data",
        "queries": {"error": "StoreError: locked"},
        "load": {"clients": 2, "seconds": 1.0, "requests_per_s": 3.5, "errors": 0, "server_peak_rss_mb": 900.0,
                 "latency_ms": {"p50": 10.0, "p95": 20.0, "p99": 30.0}},
    }
    text = format_summary(result)
    assert "StoreError: locked" in text
    assert "3.5 req/s" in text and "10 / 20 / 30" in text
    assert "cores" in text.splitlines()[0]
