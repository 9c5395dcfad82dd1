"""An int8 copy of the verified ONNX export (dynamic quantisation of the MatMul weights with
onnxruntime.quantization), for indexing throughput: ~1.5× the tokens per CPU-second of fp32 on
this CPU. Its vectors are not fp32's (cosine ~0.985 to fp32), so it is its own model for the
caches and the index (`QUANTIZED_SUFFIX` on the model id); whether retrieval quality allows it is
measured in evals/RESULTS.md ("Indexing throughput (issue 13)").

`<model_dir>/onnx-int8/model.onnx` is built like the fp32 export: in a hidden directory under a
lock, with a sha256 manifest recording the fp32 export it came from, renamed into place at the end.
"""

from __future__ import annotations

import json
import logging
import time
from importlib.metadata import version
from pathlib import Path

from indexing.embedding.checksums import (
    CHECKSUM_FILE,
    checksum_problems,
    read_metadata,
    write_checksums,
)
from indexing.embedding.onnx_backend import ONNX_DIRNAME, ONNX_FILENAME, OnnxRefused, ensure_onnx_model
from indexing.embedding.prepare import building, exclusive_lock, remove_leftovers, swap_into_place

log = logging.getLogger(__name__)

INT8_DIRNAME = "onnx-int8"
INT8_FORMAT_VERSION = 1


def ensure_int8_model(model_dir: Path) -> Path:
    """Return `model_dir/onnx-int8/model.onnx`, quantising the fp32 export first if needed."""
    model_dir = Path(model_dir)
    fp32 = ensure_onnx_model(model_dir)
    target = model_dir / INT8_DIRNAME
    if not int8_problems(model_dir, fp32):
        return target / ONNX_FILENAME
    with exclusive_lock(model_dir / f".{INT8_DIRNAME}.lock"):
        if not int8_problems(model_dir, fp32):
            return target / ONNX_FILENAME
        remove_leftovers(target)
        started = time.monotonic()
        failure = f"Không lượng tử hoá được {fp32} / cannot quantise the ONNX model"
        with building(target, OnnxRefused, failure) as work:
            work.mkdir()
            quantize_int8(fp32, work / ONNX_FILENAME)
            write_checksums(work, {"format_version": INT8_FORMAT_VERSION,
                                   "source_sha256": _fp32_sha256(model_dir),
                                   "onnxruntime": version("onnxruntime")})  # fmt: skip
            swap_into_place(work, target)
        log.info("quantised %s to int8 in %.1f s", fp32, time.monotonic() - started)
    return target / ONNX_FILENAME


def quantize_int8(source: Path, destination: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(source), str(destination), weight_type=QuantType.QInt8)


def int8_problems(model_dir: Path, fp32: Path) -> list[str]:
    target = Path(model_dir) / INT8_DIRNAME
    problems = checksum_problems(target)
    if problems:
        return problems
    meta = read_metadata(target)
    if meta.get("format_version") != INT8_FORMAT_VERSION or meta.get("source_sha256") != _fp32_sha256(model_dir):
        return [f"{target}: lượng tử từ bản khác / quantised from another export"]
    return []


def _fp32_sha256(model_dir: Path) -> str | None:
    """The fp32 export's sha256 as its manifest records it (no re-hashing)."""
    try:
        payload = json.loads((Path(model_dir) / ONNX_DIRNAME / CHECKSUM_FILE).read_text("utf-8"))
        return str(payload["files"][ONNX_FILENAME])
    except (OSError, ValueError, KeyError, TypeError):
        return None
