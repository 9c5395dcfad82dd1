"""The int8 option: its own model id (own caches and index), int8 passages with fp32 queries,
and a quantised copy built once beside the verified fp32 export."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.core.errors import ConfigError
from indexing.embedding.onnx_embedder import OnnxEmbedder
from indexing.embedding.quantize import INT8_DIRNAME, ensure_int8_model, int8_problems

PASSAGES = [
    "Điều 12. Quyền của người bệnh được tôn trọng bí mật riêng tư trong khám bệnh, chữa bệnh.",
    "Cơ sở bán lẻ thuốc phải có dược sĩ phụ trách chuyên môn.",
    "Hồ sơ đề nghị cấp lại chứng chỉ hành nghề dược gồm đơn đề nghị và bản sao văn bằng.",
]


def test_quantized_embedder_has_its_own_model_id_and_rejects_unknown_modes() -> None:
    assert OnnxEmbedder("m", model_id="e5").model_id == "e5"
    assert OnnxEmbedder("m", model_id="e5", quantized="passages").model_id == "e5+int8"
    assert OnnxEmbedder("m", model_id="e5", quantized="all").model_id == "e5+int8"
    with pytest.raises(ConfigError):
        OnnxEmbedder("m", quantized="int4")


@pytest.mark.slow
def test_int8_passages_are_close_but_queries_stay_fp32(prepared_model_dir: Path) -> None:
    fp32 = OnnxEmbedder(prepared_model_dir, threads=1)
    mixed = OnnxEmbedder(prepared_model_dir, threads=1, quantized="passages")
    full = OnnxEmbedder(prepared_model_dir, threads=1, quantized="all")
    cosines = np.sum(fp32.embed_passages(PASSAGES) * mixed.embed_passages(PASSAGES), axis=1)
    assert 0.95 < cosines.min() and cosines.max() < 0.9999  # int8, not a copy of fp32
    assert np.allclose(mixed.embed_passages(PASSAGES), full.embed_passages(PASSAGES), atol=1e-6)
    query = "thủ tục cấp chứng chỉ hành nghề dược"
    assert float(fp32.embed_query(query) @ mixed.embed_query(query)) > 0.9999
    assert float(fp32.embed_query(query) @ full.embed_query(query)) < 0.9999
    int8 = ensure_int8_model(prepared_model_dir)
    assert int8.parent.name == INT8_DIRNAME and int8_problems(prepared_model_dir, int8) == []
