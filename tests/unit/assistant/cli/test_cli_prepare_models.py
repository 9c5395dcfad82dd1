"""`troly prepare-models` also exports and verifies the ONNX model when ONNX Runtime will be
used, and says so when the export is refused (torch is then used)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from assistant.core.settings import Settings
from assistant.cli import index as cli
from indexing.embedding import factory, onnx_backend, prepare
from indexing.embedding.onnx_backend import OnnxRefused


@pytest.fixture
def exported(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    calls: list[Path] = []

    def fake_ensure(model_dir: Path) -> Path:
        calls.append(model_dir)
        return model_dir / "onnx" / "model.onnx"

    monkeypatch.setattr(prepare, "prepare_model", lambda models_dir: models_dir / "e5")
    monkeypatch.setattr(onnx_backend, "ensure_onnx_model", fake_ensure)
    monkeypatch.setattr(factory, "find_spec", lambda name: object())
    return calls


def test_cli_prepare_models_exports_onnx_for_auto(exported, tmp_path, capsys) -> None:
    settings = Settings(data_dir=tmp_path)
    assert cli.cmd_prepare_models(argparse.Namespace(), settings) == 0
    assert exported == [settings.models_dir / "e5"]
    assert "verified ONNX export" in capsys.readouterr().out


def test_cli_prepare_models_skips_onnx_for_torch_backend(exported, tmp_path) -> None:
    settings = Settings(data_dir=tmp_path, embedding_backend="torch")
    assert cli.cmd_prepare_models(argparse.Namespace(), settings) == 0
    assert exported == []


def test_cli_prepare_models_reports_refused_export(exported, monkeypatch, tmp_path, capsys):
    def refuse(model_dir: Path) -> Path:
        raise OnnxRefused("cosine 0.986 < 0.9999")

    monkeypatch.setattr(onnx_backend, "ensure_onnx_model", refuse)
    assert cli.cmd_prepare_models(argparse.Namespace(), Settings(data_dir=tmp_path)) == 0
    err = capsys.readouterr().err
    assert "torch will be used" in err and "0.986" in err
