"""`troly index --format` takes the format names of the registered loaders (the one list,
`indexing.loaders.FORMATS`) and refuses any other name before anything is opened."""

from __future__ import annotations

import pytest

from assistant.cli import build_parser
from indexing.loaders import FORMATS


@pytest.mark.parametrize("fmt", FORMATS)
def test_index_format_accepts_every_registered_loader(fmt: str) -> None:
    assert build_parser().parse_args(["index", "a.txt", "--format", fmt]).fmt == fmt


def test_index_format_refuses_an_unknown_name(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["index", "a.odt", "--format", "odt"])
    assert exit_info.value.code == 2
    assert "odt" in capsys.readouterr().err
