"""Under a citation, clients show what the answer does not already say (issue 14: "the quoted
excerpt does not repeat the answer"). The answers below are real ones, from `troly serve` on
the demo corpus."""

from __future__ import annotations

from assistant.core.domain import Answer, Citation
from ui import gradio_chat
from ui.api.schemas import AnswerPublic, CitationPublic
from ui.chat_flow import ChatTurn
from ui.citation_view import excerpt_beyond_answer, source_name

TTHC_ANSWER = (
    "Thủ tục “Cấp Chứng chỉ hành nghề dược (trường hợp cấp lần đầu) theo hình thức xét hồ sơ” "
    "(mã DEMO.000003) [1]:\nYêu cầu, điều kiện: Có văn bằng chuyên môn phù hợp với vị trí hành "
    "nghề; có thời gian thực hành chuyên môn tại cơ sở dược phù hợp; có giấy chứng nhận đủ sức "
    "khỏe để hành nghề dược; không thuộc trường hợp đang bị truy cứu trách nhiệm hình sự hoặc "
    "bị cấm hành nghề."
)
TTHC_CITATION = Citation(
    unit_id="DEMO.000003", document_number="DEMO.000003",
    title="Thủ tục DEMO.000003 — Cấp Chứng chỉ hành nghề dược (trường hợp cấp lần đầu) theo "
          "hình thức xét hồ sơ (bản ghi mẫu DEMO, không phải CSDL quốc gia)",
    article_path="Yêu cầu, điều kiện", page=None, source="/srv/troly/corpus/demo/DEMO.000003.json",
    quote=TTHC_ANSWER.split("\n", 1)[1],
)
_BHYT = ("Hướng dẫn tóm tắt quy định về thẻ bảo hiểm y tế và mức hưởng bảo hiểm y tế (tài liệu "
         "mẫu) số DEMO-02/2025/HD-SYT")
ARTICLE_6 = (
    "Người tham gia BHYT khi đi khám bệnh, chữa bệnh đúng quy định được quỹ bảo hiểm y tế thanh "
    "toán chi phí trong phạm vi được hưởng như sau:\n1. 100% chi phí khám bệnh, chữa bệnh đối "
    "với:\na) Sĩ quan, quân nhân chuyên nghiệp, hạ sĩ quan, binh sĩ, công an nhân dân và người "
    "làm công tác cơ yếu;\nb) Người có công với cách mạng, cựu chiến binh;\nc) Trẻ em dưới 06 "
    "tuổi;\nd) Người hưởng trợ cấp bảo trợ xã hội hằng tháng; người thuộc hộ gia đình nghèo; "
    "người dân tộc thiểu số đang sinh sống tại vùng có điều kiện kinh tế - xã hội khó khăn; "
    "người đang sinh sống tại xã đảo, huyện đảo. …"
)
ARTICLE_2 = ("3. Trường hợp cấp cứu, người bệnh được khám, chữa bệnh tại bất kỳ cơ sở khám bệnh, "
             "chữa bệnh nào và xuất trình thẻ BHYT trước khi ra viện.")
REGULATION_ANSWER = (
    f"Theo Điều 6 {_BHYT} (Mức hưởng khi khám bệnh, chữa bệnh đúng quy định) [1]:\n{ARTICLE_6}"
    f"\n\nNgoài ra, theo Điều 2 {_BHYT} [2]:\n{ARTICLE_2}"
)
REGULATION_CITATIONS = [
    Citation("u6", "DEMO-02/2025/HD-SYT", f"Điều 6 {_BHYT} — hiệu lực từ 06/01/2025; đang có "
             "hiệu lực", "Chương II › Điều 6", None, "/data/uploads/bhyt.md#6", ARTICLE_6),
    Citation("u2", "DEMO-02/2025/HD-SYT", f"Điều 2 {_BHYT}", "Chương I › Điều 2", 3,
             "/data/uploads/bhyt.md", ARTICLE_2),
]


def test_citation_view_excerpt_is_empty_when_the_answer_quotes_it_all():
    assert excerpt_beyond_answer(TTHC_ANSWER, TTHC_CITATION.quote) == ""
    for citation in REGULATION_CITATIONS:  # the extractive answer quotes its sources verbatim
        assert excerpt_beyond_answer(REGULATION_ANSWER, citation.quote) == ""


def test_citation_view_excerpt_keeps_what_the_answer_does_not_say():
    prose = "Trẻ em dưới 6 tuổi được quỹ BHYT thanh toán 100% chi phí [1]."  # an LLM's words
    assert excerpt_beyond_answer(prose, ARTICLE_6) == ARTICLE_6
    partial = f"Theo Điều 6 [1]:\n{ARTICLE_6.splitlines()[0]}"
    assert excerpt_beyond_answer(partial, ARTICLE_6) == "\n".join(ARTICLE_6.splitlines()[1:])


def test_citation_view_source_name_hides_server_paths():
    assert source_name(TTHC_CITATION) == "DEMO.000003.json"
    assert source_name(REGULATION_CITATIONS[0]) == "bhyt.md"


def test_gradio_citation_does_not_repeat_the_answer():
    for answer, citations in ((TTHC_ANSWER, [TTHC_CITATION]),
                              (REGULATION_ANSWER, REGULATION_CITATIONS)):
        messages = gradio_chat.citation_messages(citations, answer)
        assert len(messages) == len(citations)
        for message, citation in zip(messages, citations, strict=True):
            content = message["content"]
            assert ">" not in content and citation.quote.splitlines()[0] not in content
            assert f"_{citation.title}_" in content  # the full label (the title is shortened)
            assert "Tệp nguồn: " in content and "/srv" not in content and "/data" not in content
    assert "trang 3" in gradio_chat.citation_messages(REGULATION_CITATIONS, REGULATION_ANSWER)[1][
        "content"]


def test_gradio_citation_quotes_what_an_llm_answer_paraphrased():
    prose = "Trẻ em dưới 6 tuổi được quỹ BHYT thanh toán 100% chi phí [1]."
    content = gradio_chat.citation_messages(REGULATION_CITATIONS[:1], prose)[0]["content"]
    assert content.startswith("> Người tham gia BHYT") and "> c) Trẻ em dưới 06 tuổi;" in content


def test_api_citation_excerpt_beside_the_unchanged_quote():
    answer = Answer(TTHC_ANSWER, [TTHC_CITATION], "tthc", False, 0.9)
    public = AnswerPublic.of(ChatTurn(answer, "a1", "c1", "citizen"))
    cited = public.citations[0]
    assert cited.quote == TTHC_CITATION.quote and cited.excerpt == ""
    assert cited.source == "DEMO.000003.json"
    assert CitationPublic.of(1, TTHC_CITATION).excerpt == TTHC_CITATION.quote  # no answer given


def test_gradio_citation_title_names_the_number_once():
    assert gradio_chat.citation_title(1, TTHC_CITATION).startswith(
        "[1] Thủ tục DEMO.000003 — Cấp Chứng chỉ hành nghề dược")
    # a long title cut before its number: the number leads
    assert gradio_chat.citation_title(1, REGULATION_CITATIONS[0]).startswith(
        "[1] DEMO-02/2025/HD-SYT Điều 6 Hướng dẫn")
