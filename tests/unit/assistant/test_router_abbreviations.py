"""The router expands the curated dictionary's abbreviations exactly as the dictionary spells
them; its own table holds only chat shorthand the dictionary does not have."""

from assistant.abbreviations import curated_dictionary
from assistant.router import CHAT_SHORTHAND, abbreviations, fold


def test_router_expands_every_dictionary_word_as_the_dictionary_does() -> None:
    table = abbreviations()
    dictionary = curated_dictionary().folded_words()
    assert dictionary  # the curated file was read
    for word, expansion in dictionary.items():
        assert table[word] == expansion, word


def test_router_chat_shorthand_never_shadows_the_dictionary() -> None:
    dictionary = curated_dictionary()
    assert not [word for word in CHAT_SHORTHAND if word in dictionary]


def test_router_spells_kcb_as_the_law_does() -> None:
    assert curated_dictionary().expansions("KCB") == ["khám bệnh, chữa bệnh"]
    assert fold("đi KCB trái tuyến") == "di kham benh chua benh trai tuyen"


def test_router_keeps_abbreviations_the_documents_use() -> None:
    assert fold("HIV") == "hiv"
