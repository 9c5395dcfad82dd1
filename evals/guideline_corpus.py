"""A small corpus of professional documents, written for troly's tests and evaluation (the text
is ILLUSTRATIVE, modelled on the layout of Bộ Y tế guidelines; it is not medical advice and
not quoted from any official document):

- `huong-dan-tay-chan-mieng.docx`: a guideline whose headings carry only Word's automatic
  numbering (Heading 1 "1.", Heading 2 "1.1."), with "a)" items, bullets and a dose table;
- `qd-quy-trinh-dat-ong-thong.docx`: a decision (Điều 1-3) with the technical procedure it
  issues attached after the signature ("QUY TRÌNH KỸ THUẬT … (Ban hành kèm theo Quyết định
  số …)"), typed headings "I.", "1.", "1.1.".

`write_corpus(folder)` writes both; the question set is `evals/data/guidelines_dev.jsonl`.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

GUIDELINE_DOCX = "huong-dan-tay-chan-mieng.docx"
DECISION_DOCX = "qd-quy-trinh-dat-ong-thong.docx"

# (kind, text): h1/h2 = numbered headings (Word numbering, no typed number), p = paragraph,
# item = "a)" list item, bullet, table = rows (first row the header).
GUIDELINE: list[tuple[str, object]] = [
    ("title", "HƯỚNG DẪN CHẨN ĐOÁN VÀ ĐIỀU TRỊ BỆNH TAY CHÂN MIỆNG"),
    ("p", "(Tài liệu minh họa dùng cho kiểm thử, không dùng để điều trị)"),
    ("h1", "Đại cương"),
    ("p", "Bệnh tay chân miệng là bệnh truyền nhiễm cấp tính do vi rút đường ruột gây ra, "
          "thường gặp ở trẻ em dưới 5 tuổi và có thể gây thành dịch vào mùa mưa."),
    ("p", "Bệnh lây chủ yếu qua đường tiêu hóa, tiếp xúc trực tiếp với nước bọt, phỏng nước "
          "và phân của trẻ bệnh."),
    ("h1", "Chẩn đoán"),
    ("h2", "Lâm sàng"),
    ("p", "Giai đoạn toàn phát kéo dài 3 đến 10 ngày với các triệu chứng điển hình:"),
    ("item", "Loét miệng: vết loét đỏ hay phỏng nước đường kính 2 - 3 mm ở niêm mạc miệng, lợi, lưỡi."),
    ("item", "Phát ban dạng phỏng nước ở lòng bàn tay, lòng bàn chân, gối, mông."),
    ("item", "Sốt nhẹ, nôn; sốt cao trên 39 độ kéo dài là dấu hiệu bệnh nặng."),
    ("h2", "Cận lâm sàng"),
    ("p", "Xét nghiệm công thức máu: bạch cầu thường trong giới hạn bình thường; bạch cầu "
          "tăng trên 16.000/mm3 gợi ý biến chứng."),
    ("p", "Xét nghiệm RT-PCR dịch phết họng hoặc phỏng nước để xác định vi rút EV71."),
    ("h2", "Phân độ lâm sàng"),
    ("p", "Độ 1: chỉ loét miệng và/hoặc tổn thương da. Độ 2a: bệnh nhi giật mình dưới 2 lần "
          "trong 30 phút khi khám. Độ 3: mạch nhanh trên 170 lần/phút, vã mồ hôi, lạnh chi."),
    ("h1", "Điều trị"),
    ("h2", "Nguyên tắc điều trị"),
    ("bullet", "Hiện nay chưa có thuốc điều trị đặc hiệu, chỉ điều trị hỗ trợ."),
    ("bullet", "Theo dõi sát, phát hiện sớm và điều trị biến chứng."),
    ("bullet", "Bảo đảm dinh dưỡng đầy đủ, nâng cao thể trạng."),
    ("h2", "Thuốc hạ sốt và liều dùng"),
    ("p", "Hạ sốt khi nhiệt độ trên 38,5 độ C theo bảng liều sau:"),
    ("table", [
        ["Thuốc", "Liều trẻ em", "Khoảng cách giữa hai lần", "Lưu ý"],
        ["Paracetamol", "10 - 15 mg/kg/lần", "4 - 6 giờ", "Không quá 60 mg/kg/ngày"],
        ["Ibuprofen", "5 - 10 mg/kg/lần", "6 - 8 giờ", "Dùng khi sốt cao không đáp ứng paracetamol"],
        ["Phenobarbital", "10 - 20 mg/kg truyền tĩnh mạch", "Nhắc lại sau 8 - 12 giờ", "Dùng từ độ 2b"],
    ]),
    ("h2", "Điều trị theo phân độ"),
    ("p", "Độ 1 điều trị ngoại trú và theo dõi tại y tế cơ sở; tái khám mỗi 1 - 2 ngày trong 8 "
          "đến 10 ngày đầu của bệnh. Độ 2a nhập viện điều trị nội trú tại bệnh viện huyện."),
    ("p", "Độ 3 điều trị tại khoa hồi sức tuyến tỉnh hoặc tuyến trung ương: nằm đầu cao 30 độ, "
          "thở oxy qua mũi 3 - 6 lít/phút, chống phù não."),
    ("h1", "Phòng bệnh"),
    ("p", "Rửa tay bằng xà phòng dưới vòi nước chảy nhiều lần trong ngày, đặc biệt trước khi "
          "chế biến thức ăn và sau khi thay tã cho trẻ."),
    ("p", "Lau sạch bề mặt, dụng cụ tiếp xúc hằng ngày như đồ chơi, tay nắm cửa bằng dung dịch "
          "khử khuẩn Cloramin B 2%."),
]

DECISION: list[str] = [
    "SỞ Y TẾ TỈNH GIA LAI",
    "Số: 123/QĐ-SYT",
    "Gia Lai, ngày 15 tháng 3 năm 2025",
    "QUYẾT ĐỊNH",
    "Về việc ban hành Quy trình kỹ thuật đặt ống thông dạ dày",
    "GIÁM ĐỐC SỞ Y TẾ",
    "Căn cứ Luật Khám bệnh, chữa bệnh ngày 09 tháng 01 năm 2023;",
    "Căn cứ văn bản minh họa này, được viết riêng để kiểm thử;",
    "QUYẾT ĐỊNH:",
    "Điều 1. Ban hành kèm theo Quyết định này Quy trình kỹ thuật đặt ống thông dạ dày áp dụng "
    "tại các cơ sở khám bệnh, chữa bệnh trên địa bàn tỉnh.",
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
    "Điều 3. Chánh Văn phòng, Trưởng phòng Nghiệp vụ Y và Giám đốc các bệnh viện chịu trách "
    "nhiệm thi hành Quyết định này.",
    "Nơi nhận:",
    "- Như Điều 3;",
    "- Lưu: VT, NVY.",
    "GIÁM ĐỐC",
    "Nguyễn Văn Minh",
    "QUY TRÌNH KỸ THUẬT ĐẶT ỐNG THÔNG DẠ DÀY",
    "(Ban hành kèm theo Quyết định số 123/QĐ-SYT ngày 15 tháng 3 năm 2025 của Sở Y tế)",
    "I. ĐẠI CƯƠNG",
    "Đặt ống thông dạ dày là kỹ thuật đưa một ống thông qua mũi hoặc miệng xuống dạ dày để "
    "nuôi dưỡng, dẫn lưu hoặc rửa dạ dày.",
    "II. CHỈ ĐỊNH",
    "1. Nuôi dưỡng",
    "Người bệnh hôn mê, rối loạn nuốt hoặc không tự ăn được qua đường miệng.",
    "2. Điều trị",
    "Rửa dạ dày trong ngộ độc cấp qua đường tiêu hóa; hút dịch dạ dày khi tắc ruột, liệt ruột.",
    "III. CHỐNG CHỈ ĐỊNH",
    "Ngộ độc chất ăn mòn như axit mạnh, kiềm mạnh; vỡ tĩnh mạch thực quản; chấn thương sọ "
    "não có vỡ nền sọ.",
    "IV. CHUẨN BỊ",
    "1. Người thực hiện",
    "Một điều dưỡng đã được đào tạo về kỹ thuật, đội mũ, đeo khẩu trang, rửa tay.",
    "2. Dụng cụ",
    "Ống thông dạ dày cỡ 14 - 18 Fr cho người lớn, 8 - 10 Fr cho trẻ em; bơm cho ăn 50 ml; "
    "gel bôi trơn; ống nghe.",
    "3. Người bệnh",
    "Giải thích cho người bệnh hoặc người nhà; cho người bệnh nằm tư thế Fowler nếu tỉnh.",
    "V. CÁC BƯỚC TIẾN HÀNH",
    "1. Đo chiều dài ống thông",
    "Đo từ cánh mũi đến dái tai rồi đến mũi ức, đánh dấu trên ống thông.",
    "2. Đưa ống thông",
    "Bôi trơn đầu ống, đưa nhẹ nhàng qua lỗ mũi, bảo người bệnh nuốt khi ống đến họng.",
    "3. Kiểm tra vị trí ống",
    "Bơm 10 - 20 ml không khí và nghe tiếng lục bục ở vùng thượng vị; hút thấy dịch dạ dày; "
    "chụp X-quang khi còn nghi ngờ.",
    "VI. THEO DÕI VÀ XỬ TRÍ TAI BIẾN",
    "1. Ống vào khí quản",
    "Người bệnh ho sặc, tím tái: rút ống ngay, cho thở oxy, đặt lại sau khi ổn định.",
    "2. Chảy máu mũi",
    "Chườm lạnh, ép cánh mũi; nếu không cầm phải mời chuyên khoa tai mũi họng.",
]


def _add_numbering(document: docx.document.Document) -> tuple[int, int]:
    """Add a multilevel list ("1.", "1.1.", "a)") and a bullet list; returns their numIds."""
    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(
            [("decimal", "%1."), ("decimal", "%1.%2."), ("lowerLetter", "%3)")]
        )
    )
    bullet = '<w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>'
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{levels}</w:abstractNum>'))
    numbering.insert(1, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="91">{bullet}</w:abstractNum>'))
    for num_id, abstract in ((90, 90), (91, 91)):
        numbering.append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/></w:num>'
        ))  # fmt: skip
    return 90, 91


def _number(paragraph, num_id: int, level: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
    ))  # fmt: skip


def write_guideline_docx(out: Path) -> Path:
    document = docx.Document()
    outline, bullets = _add_numbering(document)
    for kind, content in GUIDELINE:
        if kind == "table":
            rows = list(content)  # type: ignore[call-overload]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for row, values in zip(table.rows, rows):
                for cell, value in zip(row.cells, values):
                    cell.text = value
            continue
        text = str(content)
        if kind == "title":
            document.add_paragraph(text)
        elif kind in ("h1", "h2"):
            paragraph = document.add_paragraph(text, style=f"Heading {kind[1]}")
            _number(paragraph, outline, int(kind[1]) - 1)
        elif kind == "item":
            _number(document.add_paragraph(text), outline, 2)
        elif kind == "bullet":
            _number(document.add_paragraph(text), bullets, 0)
        else:
            document.add_paragraph(text)
    document.save(str(out))
    return out


def write_decision_docx(out: Path) -> Path:
    document = docx.Document()
    for line in DECISION:
        document.add_paragraph(line)
    document.save(str(out))
    return out


def write_corpus(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [
        write_guideline_docx(folder / GUIDELINE_DOCX),
        write_decision_docx(folder / DECISION_DOCX),
    ]
