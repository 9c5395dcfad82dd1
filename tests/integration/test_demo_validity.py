"""The demo corpus with the real model: a newcomer's BHYT question gets the rule in force since
01/07/2025 (the DEMO amending guide) with the line saying the old article was amended; a
question about the past gets the old rule, labelled."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.settings import DEMO_CORPUS_DIR, Settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def chat(prepared_model_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    from assistant.app.troly import open_troly

    data_dir = tmp_path_factory.mktemp("demo-validity")
    (data_dir / "models").symlink_to(prepared_model_dir.parent, target_is_directory=True)
    settings = Settings(_env_file=None, data_dir=data_dir)

    def index_demo(components) -> None:
        summary = components.indexer.index_paths([DEMO_CORPUS_DIR])
        assert not summary.failed, summary.failed
        records = {r.document_number: r for r in components.indexer.list_documents()}
        assert records["DEMO-02/2025/HD-SYT"].validity == "amended"
        assert [c.articles for c in records["DEMO-02/2025/HD-SYT"].amended_by] == [("Điều 7",)]

    with open_troly(settings, before_answering=index_demo) as troly:
        yield troly.chat


def test_newcomer_bhyt_question_gets_the_current_rule_with_the_status_line(chat):
    answer = chat.ask("Đi khám BHYT không đúng tuyến thì được hưởng bao nhiêu?")
    status = answer.answer.splitlines()[0]
    assert status.startswith("Lưu ý: Điều 7 Hướng dẫn")
    assert "đã được sửa đổi, bổ sung bởi Hướng dẫn số DEMO-04/2025/HD-SYT, có hiệu lực từ 01/07/2025" in status
    first = answer.citations[0]
    assert first.document_number == "DEMO-04/2025/HD-SYT" and first.status == "in_force"
    assert "50% chi phí điều trị ngoại trú" in first.quote
    assert "hiệu lực từ 01/07/2025" in first.title
    old = [c for c in answer.citations if c.document_number == "DEMO-02/2025/HD-SYT" and c.status == "amended"]
    assert all("Điều 7" in c.title for c in old)


def test_question_about_the_past_gets_the_old_rule_labelled(chat):
    answer = chat.ask("Trước đây khám trái tuyến bảo hiểm y tế được thanh toán bao nhiêu?")
    assert answer.answer.startswith("Quy định trước đây: Điều 7 Hướng dẫn")
    assert answer.citations[0].document_number == "DEMO-02/2025/HD-SYT"
    assert "tuyến tỉnh: 100% chi phí điều trị nội trú" in answer.citations[0].quote
