"""How strong is the evidence that the retrieved passages answer the question?

Fused retrieval scores are ranks, not probabilities, so confidence is computed from two absolute
signals: the IDF-weighted share of the question's content terms found in the best passages
(lexical coverage) and the dense cosine of the best hit. A logistic model over those two,
fitted on the development set (questions the corpus can and cannot answer), gives a value in
[0, 1] that is compared with `settings.refusal_threshold`. A unit named exactly in the question
(boosted hit) is strong evidence by itself.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answering.lexical import Idf, content_terms, coverage, uniform_idf
from assistant.core.domain import ScoredChunk
from assistant.reference_boost import BOOST_SPECIFIC


@dataclass(frozen=True)
class EvidenceFeatures:
    coverage: float  # 0..1, best over the top passages
    dense: float | None  # cosine of the best dense hit among the top passages
    exact: bool  # a unit named in the question was retrieved


@dataclass(frozen=True)
class EvidenceModel:
    """confidence = sigmoid(w_cov·(coverage − c0) + w_dense·(dense − d0)).

    Coefficients: a class-balanced logistic regression on evals/data/health_dev.jsonl (93
    answerable, 14 unanswerable questions) with multilingual-e5-small on the health corpus, its
    intercept moved so that the default `refusal_threshold` 0.35 sits between the two classes.
    The dense term depends on the embedder's cosine scale: refit (or move the threshold) when
    the embedding model changes. Without a dense score only the coverage term counts.
    """

    w_cov: float = 4.0
    c0: float = 0.5
    w_dense: float = 62.0
    d0: float = 0.899
    top_n: int = 3
    min_terms: int = 2

    def features(self, question: str, hits: Sequence[ScoredChunk], idf: Idf = uniform_idf) -> EvidenceFeatures:
        terms = content_terms(question)
        top = list(hits[: self.top_n])
        cov = max((coverage(terms, _passage_terms(h), idf) for h in top), default=0.0)
        # one content word ("phí?") matches almost anything: it is weak evidence on its own
        cov *= min(1.0, sum(1 for t in terms if " " not in t) / self.min_terms)
        dense_scores = [h.scores["dense"] for h in top if "dense" in h.scores]
        exact = any(h.scores.get("boost", 0.0) >= BOOST_SPECIFIC for h in top)
        return EvidenceFeatures(cov, max(dense_scores) if dense_scores else None, exact)

    def confidence(self, features: EvidenceFeatures) -> float:
        if features.exact:
            return max(0.9, _sigmoid(self.w_cov * (features.coverage - self.c0)))
        z = self.w_cov * (features.coverage - self.c0)
        if features.dense is not None:
            z += self.w_dense * (features.dense - self.d0)
        return _sigmoid(z)

    def score(self, question: str, hits: Sequence[ScoredChunk], idf: Idf = uniform_idf) -> float:
        if not hits:
            return 0.0
        return self.confidence(self.features(question, hits, idf))


def _passage_terms(hit: ScoredChunk) -> set[str]:
    chunk = hit.chunk
    return content_terms(f"{chunk.title}\n{chunk.embed_text or chunk.text}")


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))
