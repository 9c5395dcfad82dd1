"""Vietnamese prompts for the optional LLM: grounded answering with numbered context, and
condensing a follow-up question into a standalone one."""

from __future__ import annotations

from collections.abc import Sequence

NOT_FOUND = "KHÔNG_TÌM_THẤY"

ANSWER_SYSTEM = (
    "Bạn là trợ lý ảo của Sở Y tế, trả lời câu hỏi của cán bộ và người dân về văn bản pháp "
    "luật và thủ tục hành chính ngành y tế.\n"
    "Quy tắc bắt buộc:\n"
    "1. Chỉ dùng thông tin trong các đoạn NGỮ CẢNH được đánh số [1], [2], ...\n"
    "2. Mỗi câu trả lời phải ghi nguồn ngay sau câu bằng số trong ngoặc vuông, ví dụ [1] "
    "hoặc [1][2]. Chỉ dùng các số có trong NGỮ CẢNH.\n"
    "3. Không tự đặt ra quy định, số hiệu văn bản, con số, mức phí hay thời hạn không có trong "
    "NGỮ CẢNH.\n"
    f"4. Nếu NGỮ CẢNH không đủ để trả lời, chỉ viết đúng một từ: {NOT_FOUND}\n"
    "5. Trả lời ngắn gọn, rõ ràng, bằng tiếng Việt."
)

CONDENSE_SYSTEM = (
    "Viết lại câu hỏi tiếp theo của người dùng thành một câu hỏi đầy đủ, tự hiểu được mà không "
    "cần đọc hội thoại trước, bằng tiếng Việt. Chỉ trả về câu hỏi đã viết lại, không giải thích."
)


def answer_messages(question: str, contexts: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """`contexts` are (label, text) pairs, numbered from 1 in the prompt."""
    blocks = [f"[{i}] {label}\n{text}" for i, (label, text) in enumerate(contexts, start=1)]
    user = "NGỮ CẢNH:\n" + "\n\n".join(blocks) + f"\n\nCÂU HỎI: {question}\n\nTRẢ LỜI:"
    return [("system", ANSWER_SYSTEM), ("user", user)]


def condense_messages(history: Sequence[tuple[str, str]], question: str) -> list[tuple[str, str]]:
    """`history` are (user question, assistant answer) turns, oldest first."""
    lines = []
    for asked, answered in history[-3:]:
        lines.append(f"Người dùng: {asked}")
        lines.append(f"Trợ lý: {answered[:400]}")
    user = "HỘI THOẠI:\n" + "\n".join(lines) + f"\n\nCÂU HỎI TIẾP THEO: {question}\n\nCÂU HỎI ĐẦY ĐỦ:"
    return [("system", CONDENSE_SYSTEM), ("user", user)]
