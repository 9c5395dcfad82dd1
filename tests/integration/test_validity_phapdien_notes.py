"""Every change remark of the real Pháp điển health snapshot is read: changing document and date."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexing.validity.notes import parse_change_note


@pytest.mark.integration
def test_every_remark_in_the_phapdien_health_snapshot_names_its_changing_documents(shared_data: Path):
    from indexing.loaders.phapdien import PhapDienLoader

    folder = shared_data / "phapdien_health"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent (../shared/data not mounted)")
    remarks = {
        s.metadata["status_note"]
        for path in sorted(folder.glob("*.html"))
        for doc in PhapDienLoader().load(path)
        for s in doc.sections
        if s.metadata.get("status_note")
    }
    assert len(remarks) > 50
    unread = [r for r in remarks if not (rels := parse_change_note(r))
              or not all(x.source and x.effective_date for x in rels)]  # fmt: skip
    assert unread == []
