"""What a client shows under a citation: the part of its quote the answer does not already say,
and the source file's name (never a server path).

The extractive answerer (and a TTHC answer) quotes its sources verbatim, so a citation's
`quote` is often the very text of the answer: shown again under the citation it only repeats
what the reader has just read. The `quote` stays as it is (it is the evidence, and the API
returns it); clients show `excerpt_beyond_answer` instead, and the source details when nothing
is left."""

from __future__ import annotations

import re
from pathlib import PurePath

from assistant.core.domain import Citation

_SPACES = re.compile(r"\s+")
_EDGES = " …-•*>"  # an ellipsis where a quote was cut, list and Markdown markers


def _normal(text: str) -> str:
    return _SPACES.sub(" ", text).strip(_EDGES).strip().casefold()


def excerpt_beyond_answer(answer: str, quote: str) -> str:
    """The lines of `quote` that `answer` does not already contain ("" when it shows them
    all). A line is kept whole or dropped whole: nothing is cut out of a sentence."""
    said = _normal(answer)
    kept = [line.rstrip() for line in quote.splitlines()
            if _normal(line) and _normal(line) not in said]
    return "\n".join(kept)


def source_name(citation: Citation) -> str:
    """The cited file's name: "/srv/data/x/Luat-Duoc.pdf#p3" -> "Luat-Duoc.pdf"."""
    return PurePath(citation.source.split("#", 1)[0]).name if citation.source else ""
