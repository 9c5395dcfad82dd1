from assistant.core.masking import last4, mask_digits, mask_name


def test_mask_name_keeps_only_initials() -> None:
    assert mask_name("Nguyễn Văn An") == "N*** V*** A***"
    assert mask_name("  đặng   thu trang ") == "Đ*** T*** T***"
    assert mask_name("") == ""


def test_mask_digits_shows_only_the_tail() -> None:
    assert mask_digits("0905 123 456") == "********56"
    assert mask_digits("064085119012", keep=0) == "************"
    assert mask_digits("không có số") == ""


def test_last4_of_phone_and_short_values() -> None:
    assert last4("0905.123.456") == "3456"
    assert last4("123") == ""
