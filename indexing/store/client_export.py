"""A portable export of a qdrant-client collection, through the point API only (a Qdrant server
whose files troly cannot copy, or local mode, which has no snapshot API).

A folder holds `export.json` (the collection's vector, sparse-vector and payload-index config,
the point count and, per batch, each file's sha256), written last, and per scrolled batch
`points-NNNNNN.jsonl.gz` (id, payload and sparse vectors, one point a line) plus
`points-NNNNNN.<dense name>.npy` (float32 rows in the same order). Export and import stream one
batch at a time; the import checks every batch's sha256 before upserting it.
"""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
from qdrant_client import QdrantClient, models

from indexing.embedding.checksums import sha256_file

log = logging.getLogger(__name__)

FORMAT = 1
EXPORT_META = "export.json"
SCROLL = 1024
UPSERT = 256
Progress = Callable[[int, int], None]


# --- config ------------------------------------------------------------------------------
def collection_config(client: QdrantClient, collection: str) -> dict[str, Any]:
    """Named dense and sparse vector params and payload indexes, as plain JSON."""
    info = client.get_collection(collection)
    vectors = info.config.params.vectors
    if not isinstance(vectors, Mapping):
        raise ValueError(f"{collection}: only named vectors can be exported")
    sparse = info.config.params.sparse_vectors or {}
    return {
        "dense": {n: p.model_dump(mode="json", exclude_none=True) for n, p in vectors.items()},
        "sparse": {n: p.model_dump(mode="json", exclude_none=True) for n, p in sparse.items()},
        "payload_indexes": {
            key: index.model_dump(mode="json", exclude_none=True)
            for key, index in (info.payload_schema or {}).items()
        },
    }


def create_from_config(client: QdrantClient, collection: str, config: Mapping[str, Any],
                       payload_indexes: bool) -> None:
    client.create_collection(
        collection,
        vectors_config={n: models.VectorParams(**p) for n, p in config["dense"].items()},
        sparse_vectors_config={
            n: models.SparseVectorParams(**p) for n, p in config["sparse"].items()
        },
    )
    if not payload_indexes:  # local mode ignores payload indexes (and warns about them)
        return
    for key, index in config["payload_indexes"].items():
        info = models.PayloadIndexInfo(**index)
        client.create_payload_index(collection, key, field_schema=info.params or info.data_type)


# --- export ------------------------------------------------------------------------------
def _kept(record: Any, active: Mapping[str, str] | None) -> bool:
    if active is None:
        return True
    payload = record.payload or {}
    return active.get(payload.get("doc_id")) == payload.get("doc_hash")


def _write_batch(folder: Path, number: int, records: list[Any],
                 config: Mapping[str, Any]) -> dict[str, Any]:
    stem = f"points-{number:06d}"
    lines = folder / f"{stem}.jsonl.gz"
    with gzip.open(lines, "wt", encoding="utf-8", compresslevel=1) as out:
        for record in records:
            vectors = record.vector or {}
            sparse = {n: {"indices": list(vectors[n].indices), "values": list(vectors[n].values)}
                      for n in config["sparse"] if n in vectors}
            line = {"id": record.id, "payload": record.payload or {}, "sparse": sparse}
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    files = [lines]
    for name, params in config["dense"].items():
        rows = np.zeros((len(records), int(params["size"])), dtype=np.float32)
        for row, record in enumerate(records):
            rows[row] = (record.vector or {})[name]
        files.append(folder / f"{stem}.{name}.npy")
        np.save(files[-1], rows, allow_pickle=False)
    return {"points": len(records), "files": {f.name: sha256_file(f) for f in files}}


def export_collection(client: QdrantClient, collection: str, folder: Path, *,
                      active: Mapping[str, str] | None = None,
                      progress: Progress | None = None) -> int:
    """Write the collection into `folder` (created), keeping only points whose doc_hash is
    active[doc_id] when `active` is given; returns the number of points written."""
    folder.mkdir(parents=True, exist_ok=True)
    if not client.collection_exists(collection):  # nothing indexed yet
        _write_meta(folder, collection, None, 0, [])
        return 0
    config = collection_config(client, collection)
    total = int(client.count(collection, exact=True).count)
    batches: list[dict[str, Any]] = []
    offset: Any = None
    seen = written = 0
    while True:
        records, offset = client.scroll(collection, limit=SCROLL, offset=offset,
                                        with_payload=True, with_vectors=True)
        seen += len(records)
        kept = [r for r in records if _kept(r, active)]
        if kept:
            batches.append(_write_batch(folder, len(batches), kept, config))
            written += len(kept)
        if progress is not None:
            progress(seen, total)
        if offset is None:
            break
    _write_meta(folder, collection, config, written, batches)
    log.info("exported %d of %d points of %s", written, seen, collection)
    return written


def _write_meta(folder: Path, collection: str, config: Mapping[str, Any] | None, points: int,
                batches: list[dict[str, Any]]) -> None:
    meta = {"format": FORMAT, "collection": collection, "config": config, "points": points,
            "batches": batches}
    (folder / EXPORT_META).write_text(json.dumps(meta, ensure_ascii=False, indent=1), "utf-8")


# --- import ------------------------------------------------------------------------------
def read_export_meta(folder: Path) -> dict[str, Any]:
    meta = json.loads((folder / EXPORT_META).read_text("utf-8"))
    if meta.get("format") != FORMAT:
        raise ValueError(f"{EXPORT_META}: format {meta.get('format')} is not {FORMAT}")
    return meta


def _read_batch(folder: Path, batch: Mapping[str, Any],
                config: Mapping[str, Any]) -> list[models.PointStruct]:
    for name, expected in batch["files"].items():
        if sha256_file(folder / name) != expected:
            raise ValueError(f"{name}: checksum mismatch")
    stem = next(iter(batch["files"])).split(".")[0]
    with gzip.open(folder / f"{stem}.jsonl.gz", "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    dense = {n: np.load(folder / f"{stem}.{n}.npy", allow_pickle=False) for n in config["dense"]}
    if len(rows) != batch["points"] or any(len(v) != len(rows) for v in dense.values()):
        raise ValueError(f"{stem}: {len(rows)} points, expected {batch['points']}")
    return [_point(row, {n: v[i] for n, v in dense.items()}) for i, row in enumerate(rows)]


def _point(row: Mapping[str, Any], dense: Mapping[str, np.ndarray]) -> models.PointStruct:
    vector: dict[str, Any] = {n: v.tolist() for n, v in dense.items()}
    for name, sparse in row["sparse"].items():
        vector[name] = models.SparseVector(indices=sparse["indices"], values=sparse["values"])
    return models.PointStruct(id=row["id"], vector=vector, payload=row["payload"])


def iter_batches(folder: Path, meta: Mapping[str, Any]) -> Iterator[list[models.PointStruct]]:
    for batch in meta["batches"]:
        yield _read_batch(folder, batch, meta["config"])


def import_points(client: QdrantClient, collection: str, folder: Path,
                  meta: Mapping[str, Any], progress: Progress | None = None) -> int:
    """Upsert the export's points batch by batch into the (existing) collection."""
    done, total = 0, int(meta["points"])
    for points in iter_batches(folder, meta):
        for start in range(0, len(points), UPSERT):
            client.upsert(collection, points=points[start:start + UPSERT], wait=True)
        done += len(points)
        if progress is not None:
            progress(done, total)
    count = int(client.count(collection, exact=True).count)
    if count != total:
        raise ValueError(f"{collection}: {count} points after the import, expected {total}")
    return done
