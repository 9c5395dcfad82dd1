"""The Vietnamese texts the dossier service answers with (one place, so they stay consistent:
a wrong factor and an unknown code must read exactly the same)."""

from __future__ import annotations

FACTOR_LABELS = {
    "phone_last4": "4 số cuối của số điện thoại đã đăng ký khi nộp hồ sơ",
    "id_last4": "4 số cuối của số CCCD (số định danh cá nhân) của người nộp hồ sơ",
}
CODE_HINT = (
    "Mã hồ sơ in trên giấy tiếp nhận hồ sơ và hẹn trả kết quả, có dạng "
    "000.00.21.H21-251120-0001 (mã cơ quan – ngày nộp – số thứ tự)."
)
INVALID_CODE = f"Mã hồ sơ chưa đúng định dạng. {CODE_HINT}"


def messages(contact: str, factor: str, lock_s: float) -> dict[str, str]:
    label = FACTOR_LABELS[factor]
    minutes = max(1, round(lock_s / 60))
    return {
        "not_found_or_mismatch": (
            "Không tìm thấy hồ sơ khớp với mã hồ sơ và thông tin xác minh đã nhập. Anh/chị vui "
            f"lòng kiểm tra lại mã hồ sơ và {label}. {CODE_HINT}"
        ),
        "invalid_code": INVALID_CODE,
        "invalid_verification": f"Để bảo vệ thông tin cá nhân, vui lòng nhập đúng {label}.",
        "rate_limited": (
            "Anh/chị đã tra cứu quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau ít "
            f"phút. Nếu cần hỗ trợ ngay, xin liên hệ {contact}."
        ),
        "locked": (
            "Mã hồ sơ này tạm thời bị khóa tra cứu vì thông tin xác minh bị nhập sai nhiều lần. "
            f"Vui lòng thử lại sau khoảng {minutes} phút hoặc liên hệ {contact}."
        ),
        "unavailable": (
            "Hệ thống dịch vụ công một cửa đang tạm thời gián đoạn nên chưa tra cứu được hồ sơ. "
            f"Vui lòng thử lại sau ít phút hoặc liên hệ {contact}."
        ),
    }
