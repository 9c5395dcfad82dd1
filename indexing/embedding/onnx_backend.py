"""Export a prepared sentence-transformers encoder (BERT / XLM-R) to ONNX once, verify it
against torch, and reuse it afterwards.

`<model_dir>/onnx/` holds `model.onnx` (fp32, opset 17, dynamic batch and sequence axes, inputs
input_ids + attention_mask, output last_hidden_state) and its own sha256 manifest, which also
records the verification. Like `prepare.prepare_model`, the directory is built in a hidden
temporary directory under a lock and renamed into place only once verified, so a killed run
leaves nothing half-written and a damaged copy is rebuilt. An export that does not reproduce
torch (cosine < MIN_ONNX_COSINE on any sample) is refused: `OnnxRefused`, and the refusal is
remembered for these library versions so that later runs fall back to torch at once.
"""

from __future__ import annotations

import gc
import json
import logging
import time
import warnings
from dataclasses import asdict, dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from assistant.core.errors import ModelError
from indexing.embedding.checksums import (
    CHECKSUM_FILE,
    checksum_problems,
    read_metadata,
    write_checksums,
)
from indexing.embedding.onnx_runtime import OUTPUT_NAME, OrtEncoder
from indexing.embedding.prepare import building, exclusive_lock, remove_leftovers, swap_into_place
from indexing.embedding.verify import SAMPLE_SENTENCES

log = logging.getLogger(__name__)

ONNX_DIRNAME = "onnx"
ONNX_FILENAME = "model.onnx"
REFUSAL_FILE = "onnx-refused.json"
ONNX_FORMAT_VERSION = 1  # bump when the export changes, to rebuild old exports
OPSET = 17
MIN_ONNX_COSINE = 0.9999  # fp32 on both sides: anything lower is an export bug
# The sample of verify.py, plus one text far over 512 tokens (truncation, long padding).
VERIFICATION_TEXTS: tuple[str, ...] = (*SAMPLE_SENTENCES, " ".join(SAMPLE_SENTENCES * 3))


class OnnxRefused(ModelError):
    """The ONNX export cannot be made, opened or trusted; the caller should use torch."""


@dataclass(frozen=True)
class OnnxAgreement:
    """How closely ONNX Runtime reproduces the torch model (passages and queries)."""

    samples: int
    min_cosine: float
    mean_cosine: float
    token_count_mismatches: int
    same_shape: bool  # dim and max_tokens

    @property
    def ok(self) -> bool:
        return (
            self.min_cosine >= MIN_ONNX_COSINE
            and self.token_count_mismatches == 0
            and self.same_shape
        )


def ensure_onnx_model(model_dir: Path) -> Path:
    """Return `model_dir/onnx/model.onnx`, exporting and verifying it first unless an intact,
    verified export of these weights is already there. Raises OnnxRefused (bilingual)."""
    model_dir = Path(model_dir)
    target = model_dir / ONNX_DIRNAME
    if not onnx_problems(model_dir):
        return target / ONNX_FILENAME
    _raise_if_refused_before(model_dir)
    with exclusive_lock(model_dir / f".{ONNX_DIRNAME}.lock"):
        problems = onnx_problems(model_dir)  # another process may have built it meanwhile
        if not problems:
            return target / ONNX_FILENAME
        if target.exists():
            log.warning("rebuilding %s: %s", target, "; ".join(problems[:3]))
        remove_leftovers(target)
        return _build(model_dir, target)


def onnx_problems(model_dir: Path) -> list[str]:
    """Why `model_dir/onnx` is not a complete, verified export of this model ([] when it is)."""
    target = Path(model_dir) / ONNX_DIRNAME
    problems = checksum_problems(target)
    if problems:
        return problems
    meta = read_metadata(target)
    if meta.get("format_version") != ONNX_FORMAT_VERSION:
        problems.append(f"{target}: định dạng cũ / made by an older exporter")
    if meta.get("weights_sha256") != _weights_sha256(Path(model_dir)):
        problems.append(f"{target}: xuất từ trọng số khác / exported from other weights")
    min_cosine = meta.get("min_cosine")
    if not isinstance(min_cosine, float | int) or min_cosine < MIN_ONNX_COSINE:
        problems.append(f"{target}: chưa được kiểm chứng / not verified")
    return problems


def _build(model_dir: Path, target: Path) -> Path:
    started = time.monotonic()
    failure = f"Không xuất được mô hình sang ONNX tại {target}; dùng torch / cannot export the model to ONNX, using torch"
    with building(target, OnnxRefused, failure) as work:
        work.mkdir()
        export_onnx(model_dir, work / ONNX_FILENAME)
        agreement = compare_with_torch(model_dir, work / ONNX_FILENAME)
        if not agreement.ok:
            _remember_refusal(model_dir, agreement)
            raise OnnxRefused(
                f"Bản ONNX lệch so với torch (cosine nhỏ nhất {agreement.min_cosine:.6f} < "
                f"{MIN_ONNX_COSINE}, {agreement.token_count_mismatches} câu lệch số token, cùng "
                f"kích thước: {agreement.same_shape}); dùng torch / the ONNX export does not "
                "reproduce the torch model; using torch"
            )
        write_checksums(work, {"format_version": ONNX_FORMAT_VERSION, **_versions(),
                               "weights_sha256": _weights_sha256(model_dir), "opset": OPSET,
                               **asdict(agreement)})  # fmt: skip
        swap_into_place(work, target)
    log.info("exported %s in %.1f s (%s)", target, time.monotonic() - started, agreement)
    return target / ONNX_FILENAME


def export_onnx(model_dir: Path, destination: Path) -> None:
    """Trace the encoder with torch's TorchScript exporter into one fp32 file."""
    import torch
    from transformers import AutoModel

    # Eager attention traces into plain MatMul/Softmax on the additive mask. SDPA attention
    # may drop the mask when it is all ones, which a trace would then bake in; the dummy batch
    # is padded for the same reason.
    model = AutoModel.from_pretrained(
        str(model_dir), attn_implementation="eager", local_files_only=True
    ).eval()
    pad = int(model.config.pad_token_id or 0)
    input_ids = torch.tensor([[0, 6, 7, 8, 2], [0, 6, 2, pad, pad]], dtype=torch.long)
    attention_mask = (torch.arange(5) < torch.tensor([[5], [3]])).long()
    axes = {0: "batch", 1: "sequence"}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # deprecation and tracer notes, not problems here
        torch.onnx.export(
            _last_hidden_state(model),
            (input_ids, attention_mask),
            str(destination),
            input_names=["input_ids", "attention_mask"],
            output_names=[OUTPUT_NAME],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, OUTPUT_NAME: axes},
            opset_version=OPSET,
            do_constant_folding=True,
            external_data=False,
            dynamo=False,
        )
    del model
    gc.collect()


def _last_hidden_state(model):  # torch is imported only when exporting
    import torch

    class LastHiddenState(torch.nn.Module):
        """Takes exactly input_ids and attention_mask (token_type_ids stay the model's zeros)
        and returns the token embeddings that sentence-transformers pools."""

        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return self.model(input_ids=input_ids, attention_mask=attention_mask)[0]

    return LastHiddenState()


def compare_with_torch(
    model_dir: Path, onnx_path: Path, texts: tuple[str, ...] = VERIFICATION_TEXTS
) -> OnnxAgreement:
    """Embed `texts` as passages and as queries with torch (sentence-transformers) and with
    ONNX Runtime, and compare. ONNX Runtime embeds the queries as one padded batch while
    torch embeds them one by one, so a mask that is ignored cannot go unnoticed."""
    from indexing.embedding.sentence_transformer import SentenceTransformerEmbedder

    reference = SentenceTransformerEmbedder(str(model_dir))
    ours = OrtEncoder(onnx_path, Path(model_dir), batch_size=8)
    cosines = np.concatenate([
        np.sum(reference.embed_passages(list(texts)) * ours.embed_passages(texts), axis=1),
        np.sum(np.stack([reference.embed_query(t) for t in texts])
               * ours.encode(texts, ours.query_prompt), axis=1),
    ])  # fmt: skip
    counts = zip(reference.count_tokens_batch(list(texts)), ours.count_tokens_batch(texts))
    mismatches = sum(a != b for a, b in counts)
    same_shape = (reference.dim, reference.max_tokens) == (ours.dim, ours.max_tokens)
    result = OnnxAgreement(
        len(texts), float(cosines.min()), float(cosines.mean()), mismatches, same_shape
    )
    log.info("onnx/torch agreement: %s", result)
    return result


def _weights_sha256(model_dir: Path) -> str | None:
    """The weights' sha256 as the prepared model's manifest records it (no re-hashing)."""
    try:
        files = json.loads((model_dir / CHECKSUM_FILE).read_text(encoding="utf-8"))["files"]
        return str(files["model.safetensors"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _versions() -> dict[str, str]:
    return {name: _version(name) for name in ("torch", "onnx", "onnxruntime", "transformers")}


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "absent"


def _remember_refusal(model_dir: Path, agreement: OnnxAgreement) -> None:
    record = {"format_version": ONNX_FORMAT_VERSION, **_versions(),
              "weights_sha256": _weights_sha256(model_dir), **asdict(agreement)}  # fmt: skip
    try:
        (model_dir / REFUSAL_FILE).write_text(json.dumps(record, indent=2), encoding="utf-8")
    except OSError as exc:
        log.warning("cannot record the ONNX refusal in %s: %s", model_dir, exc)


def _raise_if_refused_before(model_dir: Path) -> None:
    """A refused export is not retried until a library, the exporter or the weights change."""
    try:
        record = json.loads((model_dir / REFUSAL_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    current = {"format_version": ONNX_FORMAT_VERSION, **_versions(),
               "weights_sha256": _weights_sha256(model_dir)}  # fmt: skip
    if all(record.get(key) == value for key, value in current.items()):
        raise OnnxRefused(
            f"Bản ONNX của {model_dir} đã bị từ chối trước đây (cosine nhỏ nhất "
            f"{record.get('min_cosine')}); dùng torch. Xóa {REFUSAL_FILE} để thử lại / the ONNX "
            "export was refused before with these library versions; using torch"
        )
