"""A small Vietnamese corpus (chunks as the chunkers produce them) for the assistant tests."""

from __future__ import annotations

from fakes.retrieval import make_chunk

LUAT_DUOC = {"document_number": "105/2016/QH13", "document_type": "Luật", "title": "Dược"}
LUAT_BHYT = {"document_number": "25/2008/QH12", "document_type": "Luật", "title": "Bảo hiểm y tế"}

TTHC_RECORD = {
    "code": "1.013614",
    "name": "Thủ tục cấp mới giấy phép hành nghề khám bệnh, chữa bệnh.",
    "field": "Khám bệnh, chữa bệnh",
    "agency": "Cục Quân y",
    "address": "276 Nghi Tàm, Hà Nội",
    "channels": [
        {"channel": "Trực tiếp", "time_limit": "30 Ngày", "fee": "Phí : 0 Đồng", "description": ""},
        {"channel": "Dịch vụ bưu chính", "time_limit": "30 Ngày", "fee": "Phí : 0 Đồng", "description": ""},
    ],
    "components": [
        {"name": "Đơn đề nghị cấp mới giấy phép hành nghề", "quantity": "Bản chính: 1"},
        {"name": "Bản sao hợp lệ văn bằng chuyên môn", "quantity": "Bản sao: 1"},
    ],
    "legal_basis": [{"number": "16/2024/NĐ-CP", "title": "Nghị định số 16/2024/NĐ-CP về người hành nghề", "date": "16-02-2024"}],
    "steps": "Bước 1. Nộp hồ sơ. Bước 2. Thẩm định.",
}


def _article(unit: str, text: str, source: dict, article: str, **kw) -> object:
    return make_chunk(
        unit, text, title=source["title"], document_number=source["document_number"],
        document_type=source["document_type"], article_label=f"Điều {unit}",
        metadata={"legal_source": {**source, "original_article": article}}, **kw,
    )


def corpus() -> list:
    return [
        _article("45.4.LQ.13", "Điều kiện cấp Chứng chỉ hành nghề dược:\n1. Có văn bằng chuyên môn được cấp tại Việt Nam.\n2. Có thời gian thực hành chuyên môn tại cơ sở dược.", LUAT_DUOC, "Điều 13"),
        _article("45.4.LQ.24", "Hồ sơ đề nghị cấp Chứng chỉ hành nghề dược gồm đơn đề nghị có ảnh chân dung và bản sao văn bằng chuyên môn.", LUAT_DUOC, "Điều 24"),
        _article("2.2.LQ.18", "1. Thẻ bảo hiểm y tế được cấp lại trong trường hợp bị mất.\n2. Trong thời hạn 7 ngày làm việc, kể từ ngày nhận được đơn, tổ chức bảo hiểm y tế phải cấp lại thẻ.", LUAT_BHYT, "Điều 18"),
        _article("2.2.LQ.23", "Các trường hợp không được hưởng bảo hiểm y tế: khám sức khỏe; sử dụng dịch vụ thẩm mỹ.", LUAT_BHYT, "Điều 23"),
        _article("2.2.LQ.99", "Quy định cũ: thẻ bảo hiểm y tế bị mất được cấp lại trong 30 ngày.", LUAT_BHYT, "Điều 99", validity="expired"),
        make_chunk("SYT.NB.1", "Quy trình nội bộ cấp lại thẻ bảo hiểm y tế cho cán bộ Sở Y tế.", audience="staff", title="Hướng dẫn nội bộ"),
        make_chunk(
            "1.013614", "Thủ tục cấp mới giấy phép hành nghề khám bệnh, chữa bệnh (mã 1.013614)\nThành phần hồ sơ: đơn đề nghị cấp mới giấy phép hành nghề; bản sao văn bằng; phí 0 đồng; thời hạn 30 ngày",
            title=TTHC_RECORD["name"], document_type="Thủ tục hành chính",
            metadata={"tthc": TTHC_RECORD, "tthc_section": "components", "tthc_field": "Khám bệnh, chữa bệnh"},
        ),
    ]
