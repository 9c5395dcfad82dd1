"""End to end on real data: a small real index (two Pháp điển topics and two TTHC records from
../shared/data) with the real multilingual-e5-small, answered by the default chat service."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.core.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]

# Same rule as tests/conftest.py's `shared_data` fixture, needed here at module scope.
SHARED_DATA = Path(
    os.environ.get("TROLY_SHARED_DATA", Path(__file__).resolve().parents[2].parent / "shared" / "data")
)

ALCOHOL = "phapdien_health/e50cbcc9-5eb2-4a22-b6c4-2f08f2811fdb.html"  # 45.11 rượu, bia
ORGANS = "phapdien_health/0abd54e4-923f-48a3-9f22-b9672dcf4185.html"  # 45.5 hiến mô, tạng
TTHC = ("tthc_csdlqg_sample/1.013614.json", "tthc_csdlqg_sample/1.013620.json")


@pytest.fixture(scope="module")
def chat(prepared_model_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    if not SHARED_DATA.is_dir():
        pytest.skip(f"../shared/data not found at {SHARED_DATA} (set TROLY_SHARED_DATA)")
    from assistant.app.troly import open_troly

    data_dir = tmp_path_factory.mktemp("answers-health")
    (data_dir / "models").symlink_to(prepared_model_dir.parent, target_is_directory=True)
    settings = Settings(_env_file=None, data_dir=data_dir)

    def index_health(components) -> None:
        paths = [SHARED_DATA / p for p in (ALCOHOL, ORGANS, *TTHC)]
        summary = components.indexer.index_paths(paths)
        assert not summary.failed, summary.failed

    with open_troly(settings, before_answering=index_health) as troly:
        yield troly.chat


def _units(answer):
    return [c.unit_id for c in answer.citations]


def test_answers_health_cites_the_right_article(chat):
    answer = chat.ask("Những nơi nào không được bán rượu, bia?")
    assert not answer.refused
    assert _units(answer)[0] == "45.11.LQ.19"
    assert "Cơ sở y tế" in answer.answer
    assert answer.citations[0].title.startswith("Điều 19 Luật")


def test_answers_health_citizen_question_about_organ_donation(chat):
    answer = chat.ask("Bao nhiêu tuổi thì được hiến xác?")
    assert not answer.refused and _units(answer)[0] == "45.5.LQ.5"
    assert "mười tám tuổi" in answer.answer


def test_answers_health_question_without_diacritics_finds_its_article(chat):
    hits = chat.search("nhung noi nao khong duoc ban ruou bia", limit=5)
    assert "45.11.LQ.19" in [h.chunk.unit_id for h in hits]


def test_answers_health_article_reference_ranks_first(chat):
    hits = chat.search("Điều 5 Luật Phòng, chống tác hại của rượu, bia", limit=3)
    assert hits[0].chunk.unit_id == "45.11.LQ.5"


def test_answers_health_procedure_time_limit_from_record(chat):
    answer = chat.ask("Cấp lại giấy phép hoạt động khám bệnh, chữa bệnh mất bao lâu?")
    assert answer.route == "tthc" and _units(answer) == ["1.013620"]
    assert "20 Ngày" in answer.answer


def test_answers_health_out_of_scope_question_refused(chat):
    answer = chat.ask("Thủ tục cấp hộ chiếu phổ thông mất bao lâu?")
    assert answer.refused and answer.citations == []


def test_answers_health_unanswerable_health_question_refused_with_contact(chat):
    answer = chat.ask("Bệnh viện tỉnh có khám ngoài giờ vào chủ nhật không?")
    assert answer.refused and answer.route == "out_of_scope"
    assert "Sở Y tế" in answer.answer
