"""Backup → wipe → restore on a real index (a subset of the health corpus from ../shared/data,
the real multilingual-e5-small): the same answers to fixed questions, the same documents and
the same conversation log, on a machine whose data directory was wiped."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.core.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SUBSET = ("phapdien_health/0abd54e4-923f-48a3-9f22-b9672dcf4185.html",  # 45.5 hiến mô, tạng
          "tthc_csdlqg_sample/1.013620.json")
QUESTIONS = (
    "Bao nhiêu tuổi thì được hiến xác?",
    "Cấp lại giấy phép hoạt động khám bệnh, chữa bệnh mất bao lâu?",
    "dieu kien hien mo tang",
    "Thủ tục cấp hộ chiếu phổ thông mất bao lâu?",
)


def _snapshot(settings: Settings, record: bool) -> dict:
    """Answers, documents and the conversation log of the troly on `settings.data_dir`."""
    from assistant.app.troly import open_troly
    from ui.storage import SqlStorage

    with open_troly(settings) as components:
        storage = SqlStorage(settings.sqlalchemy_url)
        try:
            chat = components.chat
            answers = []
            for question in QUESTIONS:
                answer = chat.ask(question)
                answers.append((answer.answer, answer.refused, [c.unit_id for c in answer.citations]))
                if record:
                    storage.save_exchange("backup-test", "citizen", question, answer)
            return {
                "answers": answers,
                "documents": [(r.doc_id, r.doc_hash, r.chunks) for r in components.manifest.list()],
                "points": components.store.count(),
                "log": [(e.question, e.answer) for e in storage.conversation("backup-test")],
            }
        finally:
            storage.close()


def test_backup_wipe_restore_gives_the_same_answers_and_documents(
        shared_data: Path, prepared_model_dir: Path, tmp_path: Path):
    from assistant.app.index import build_index
    from ui.backup import create_backup, restore_backup

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "models").symlink_to(prepared_model_dir.parent, target_is_directory=True)
    settings = Settings(_env_file=None, data_dir=data_dir)
    components = build_index(settings)
    try:
        summary = components.indexer.index_paths([shared_data / p for p in SUBSET])
        assert not summary.failed and summary.chunks > 50
    finally:
        components.close()
    before = _snapshot(settings, record=True)
    assert len(before["log"]) == len(QUESTIONS) and len(before["documents"]) == len(SUBSET)
    assert any(not refused for _, refused, _ in before["answers"])

    serving = build_index(settings)  # troly keeps serving while the backup runs
    try:
        archive = create_backup(settings, tmp_path / "backups").path
    finally:
        serving.close()

    shutil.rmtree(data_dir)  # the machine is lost; a new one has the prepared model
    data_dir.mkdir()
    (data_dir / "models").symlink_to(prepared_model_dir.parent, target_is_directory=True)
    restored = restore_backup(settings, archive)
    assert restored.documents == len(SUBSET) and restored.warnings == []

    assert _snapshot(settings, record=False) == before
