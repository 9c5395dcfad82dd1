from __future__ import annotations

import numpy as np
from fakes.embedder import FakeEmbedder

from evals import embedding_throughput as bench

E5_SMALL = {"hidden_size": 384, "intermediate_size": 1536, "num_hidden_layers": 12}


class CallRecorder(FakeEmbedder):
    def __init__(self) -> None:
        super().__init__(dim=8)
        self.calls: list[list[str]] = []

    def embed_passages(self, texts):
        self.calls.append(list(texts))
        return super().embed_passages(texts)


def test_embedding_throughput_measure_embeds_like_the_pipeline(monkeypatch) -> None:
    monkeypatch.setattr(bench, "EMBED_BATCH", 3)
    embedder = CallRecorder()
    texts = ["a b c d", "a", "a b c d e f", "a b", "a b c"]
    run = bench.measure("fake", embedder, texts, tokens=25, threads=1, batch=2, padded=lambda: 30)
    assert embedder.calls[1:] == [["a", "a b", "a b c"], ["a b c d", "a b c d e f"]]  # after warm-up
    np.testing.assert_allclose(run.vectors, embedder.embed_passages(texts))  # the caller's order
    assert (run.tokens, run.padded, run.cpu >= 0) == (25, 0, True)


def test_embedding_throughput_table_and_cosines() -> None:
    vectors = np.eye(2, dtype=np.float32)
    run = bench.Run("onnx", 1, 32, wall=4.0, cpu=2.0, tokens=2000, padded=2200, load=(5.0, 6.0),
                    vectors=vectors)  # fmt: skip
    bench.compare([run], vectors)
    row = bench.table([run], chunks=10).splitlines()[-1]
    assert row == "| onnx | 1 | 32 | 1,000 | 1,100 | +10.0% | 2.0 | 4.0 | 5.00 | 5.0→6.0 | 1.00000 |"


def test_embedding_throughput_flops_per_token_of_e5_small() -> None:
    # dense layers 21.2 M multiply-adds per token, attention 2 x 384 x 256 per layer
    assert bench.flops_per_token(E5_SMALL, 256) == 2 * 12 * (1_769_472 + 196_608)
