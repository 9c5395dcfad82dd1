from __future__ import annotations

import argparse

from assistant.core.settings import Settings
from ui import cli
from ui.bootstrap import ensure_keys, index_demo_corpus
from ui.keys import KeyRing, hash_key


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers(dest="command"))
    return parser


def test_cli_serve_options_parse():
    args = _parser().parse_args(["serve", "--host", "0.0.0.0", "--port", "9000", "--no-index-demo"])
    assert (args.host, args.port, args.no_index_demo) == ("0.0.0.0", 9000, True)
    assert args.handler is cli.serve_command


def test_cli_hash_key_prints_sha256(capsys, tmp_path):
    args = _parser().parse_args(["hash-key", "bí mật"])
    assert args.handler(args, Settings(data_dir=tmp_path, _env_file=None)) == 0
    assert capsys.readouterr().out.strip() == hash_key("bí mật")


def test_ensure_keys_generates_only_missing_keys(tmp_path):
    settings = Settings(data_dir=tmp_path, _env_file=None, admin_key_hashes=[hash_key("a")])
    updated, generated = ensure_keys(settings)
    assert set(generated) == {"staff"}
    assert KeyRing(updated.staff_key_hashes).matches(generated["staff"])
    assert updated.admin_key_hashes == [hash_key("a")]
    assert settings.staff_key_hashes == []  # the original is not mutated


def test_index_demo_corpus_only_when_index_empty(services, tmp_path):
    corpus = tmp_path / "demo"
    corpus.mkdir()
    (corpus / "a.md").write_text("Điều 1. Mẫu", encoding="utf-8")
    (corpus / "README.md").write_text("Bộ mẫu gồm…", encoding="utf-8")
    size = services.index_size
    assert index_demo_corpus(services.admin, size, corpus) is None  # the index has chunks
    services.chat.chunks.clear()
    summary = index_demo_corpus(services.admin, size, corpus)
    assert summary is not None and services.admin.calls[-1][0] == [str(corpus / "a.md")]
    services.chat.chunks.clear()
    assert index_demo_corpus(services.admin, size, tmp_path / "missing") is None


def test_warm_up_asks_with_and_without_diacritics_and_survives_a_failure():
    from assistant.core.text import fold_accents
    from ui.bootstrap import WARM_UP_QUESTIONS, warm_up

    asked = []

    class Chat:
        def ask(self, message, **kw):
            asked.append(message)
            raise RuntimeError("model missing")

    warm_up(Chat())  # must not raise: the first real request reports the problem
    assert asked == list(WARM_UP_QUESTIONS)
    assert any(fold_accents(q) == q for q in asked) and any(fold_accents(q) != q for q in asked)
