"""Backup and restore times on a real corpus: `python -m evals.bench_backup --corpus DIR...`.

Indexes the corpus into a scratch data directory with the real pipeline (loaders, chunking with
the real tokenizer, BM25, the embedded store, the manifest) and, unless --real-embeddings, random
unit dense vectors instead of e5's: the index then has the real number of chunks and the real
payload and vector sizes in minutes instead of the ~30 min the embedder needs on 2 cores, and
backup/restore times depend on those bytes, not on the vectors' values. Then it records a
conversation, backs up (timed), restores into an empty data directory (timed) and checks that
the restored index and manifest hold the same points and documents. Prints JSON.

With --data-dir, an index that is already built (e.g. the whole health corpus with the real
e5 model) is used instead: the questions of --questions are answered, the data directory is
backed up (timed), restored into an empty data directory (timed) and asked again; the JSON
says whether answers, citations and the document list are identical.

With --corpus and --server-standin the index lives on a "Qdrant server" stood in for by
qdrant-client's local mode (as in tests/unit/ui/test_ui_backup_server.py): the backup exports
the points through the point API and the restore imports them into another, empty one. Local
mode is a pure-Python engine, so its import times are an upper bound for a real server's.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

import numpy as np

from assistant.core.settings import Settings


class RandomVectors:
    """The real embedder's tokenizer (so chunks are cut as in production) with random unit
    vectors of its dimension."""

    def __init__(self, real) -> None:  # noqa: ANN001 - any Embedder
        self.real = real
        self.model_id = real.model_id
        self.dim = real.dim
        self.max_tokens = real.max_tokens
        self._rng = np.random.default_rng(0)

    def count_tokens(self, text: str) -> int:
        return self.real.count_tokens(text)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._rng.normal(size=(len(texts), self.dim)).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_passages([text])[0]


def _tree_bytes(path: Path) -> int:
    return sum(p.stat().st_blocks * 512 for p in path.rglob("*") if p.is_file())


@contextmanager
def _server(path: Path) -> Iterator[None]:
    """Every store opened from settings is one local-mode store at `path` (the 'server')."""
    from unittest import mock

    from indexing.store.client import QdrantClientStore

    store = QdrantClientStore({"path": str(path)}, collection="troly")
    with mock.patch("assistant.app.index.open_store", lambda _settings: store), \
            mock.patch("ui.backup_server.open_store", lambda _settings: store):
        yield
    store.close()


def run(corpus: list[Path], work: Path, models: Path | None, real_embeddings: bool,
        server_standin: bool = False) -> dict:
    from assistant.app.index import build_index
    from indexing.embedding.factory import build_embedder
    from ui.backup import create_backup, restore_backup
    from ui.storage import SqlStorage

    shutil.rmtree(work, ignore_errors=True)
    server = {"qdrant_url": "http://qdrant.standin:6333"} if server_standin else {}
    settings = Settings(_env_file=None, data_dir=work / "data", **server)
    restored = Settings(_env_file=None, data_dir=work / "restored", **server)
    servers = ExitStack()
    if server_standin:
        servers.enter_context(_server(work / "qdrant-server"))
    for target in (settings, restored):
        target.data_dir.mkdir(parents=True)
        if models is not None:
            (target.data_dir / "models").symlink_to(models.resolve(), target_is_directory=True)
    embedder = build_embedder(settings)
    if not real_embeddings:
        embedder = RandomVectors(embedder)
    started = time.perf_counter()
    components = build_index(settings, embedder=embedder)
    try:
        summary = components.indexer.index_paths(corpus)
        indexed_s = time.perf_counter() - started
        storage = SqlStorage(settings.sqlalchemy_url)
        for hit in components.store.search_dense(embedder.embed_query("câu hỏi"), 100):
            storage.record_lookup("127.0.0.1", hit.chunk.unit_id[:64], "ok")
        storage.close()
        points, documents = components.store.count(), len(components.manifest.list())
        backup = create_backup(settings, work / "backups")  # while "serving"
    finally:
        components.close()
        servers.close()
    if server_standin:  # a new, empty server
        servers.enter_context(_server(work / "qdrant-restored"))
    restore = restore_backup(restored, backup.path)
    check = build_index(restored, embedder=embedder)
    try:
        same = (check.store.count(), len(check.manifest.list())) == (points, documents)
    finally:
        check.close()
        servers.close()
    return {
        "index": "qdrant server (local-mode stand-in)" if server_standin else "embedded",
        "files": len(corpus), "documents": documents, "chunks": summary.chunks, "points": points,
        "dense_vectors": "e5 (real)" if real_embeddings else "random (real sizes)",
        "index_seconds": round(indexed_s, 1),
        "data_dir_mb": round(_tree_bytes(settings.data_dir) / 1e6, 1),
        **({"server_mb": round(_tree_bytes(work / "qdrant-server") / 1e6, 1)}
           if server_standin else {}),
        "archive_mb": round(backup.size / 1e6, 1), "backup_seconds": round(backup.seconds, 2),
        "restore_seconds": round(restore.seconds, 2), "restored_identical": same,
    }


def _answers(settings: Settings, questions: Sequence[str]) -> dict:
    from assistant.app.troly import open_troly

    with open_troly(settings) as troly:
        answers = []
        for question in questions:
            answer = troly.chat.ask(question)
            answers.append((answer.answer, answer.refused, [c.unit_id for c in answer.citations]))
        documents = [(r.doc_id, r.doc_hash, r.chunks) for r in troly.manifest.list()]
        return {"answers": answers, "documents": documents, "points": troly.store.count()}


def run_existing(data_dir: Path, work: Path, questions: Sequence[str]) -> dict:
    """Back up an index that is already built, restore it into an empty data directory and
    compare the answers to `questions`, the documents and the points."""
    from ui.backup import create_backup, restore_backup

    shutil.rmtree(work, ignore_errors=True)
    settings = Settings(_env_file=None, data_dir=data_dir)
    restored = Settings(_env_file=None, data_dir=work / "restored")
    restored.data_dir.mkdir(parents=True)
    models = data_dir / "models"
    if models.exists():
        (restored.data_dir / "models").symlink_to(models.resolve(), target_is_directory=True)
    before = _answers(settings, questions)
    backup = create_backup(settings, work / "backups")
    restore = restore_backup(restored, backup.path)
    after = _answers(restored, questions)
    return {
        "documents": len(before["documents"]), "points": before["points"],
        "questions": len(questions),
        "answered": sum(not refused for _, refused, _ in before["answers"]),
        "data_dir_mb": round(_tree_bytes(data_dir) / 1e6, 1),
        "archive_mb": round(backup.size / 1e6, 1), "backup_seconds": round(backup.seconds, 2),
        "restore_seconds": round(restore.seconds, 2),
        "same_answers": before["answers"] == after["answers"],
        "same_documents": before["documents"] == after["documents"],
        "same_points": before["points"] == after["points"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--corpus", type=Path, nargs="+", help="Files or folders to index")
    source.add_argument("--data-dir", type=Path,
                        help="A data directory already indexed: back it up and restore it")
    parser.add_argument("--questions", type=Path, default=Path("evals/data/health_dev.jsonl"),
                        help="Questions asked before and after the restore (with --data-dir)")
    parser.add_argument("--work", type=Path, default=Path("data-backup-bench"),
                        help="Scratch folder (deleted first)")
    parser.add_argument("--models", type=Path,
                        help="Folder of prepared models to use (default: prepare into --work)")
    parser.add_argument("--real-embeddings", action="store_true",
                        help="Embed with the real model (slow: ~5 chunks/s on 2 cores)")
    parser.add_argument("--server-standin", action="store_true",
                        help="Index on a Qdrant 'server' stood in for by local mode")
    args = parser.parse_args(argv)
    if args.data_dir is not None:
        from evals.datasets import load_questions

        questions = [q.question for q in load_questions(args.questions)]
        print(json.dumps(run_existing(args.data_dir, args.work, questions), indent=1))
        return 0
    files = [f for c in args.corpus for f in (sorted(c.iterdir()) if c.is_dir() else [c])
             if f.is_file() and f.name != "SOURCE.md"]
    result = run(files, args.work, args.models, args.real_embeddings, args.server_standin)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
