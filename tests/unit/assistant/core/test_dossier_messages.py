"""The dossier texts are written once (assistant.core.dossier_messages): the chat flow's prompts
and the guard's refusals name the same verification factors, code hint and format error."""

from assistant.core.dossier_messages import CODE_HINT, FACTOR_LABELS, INVALID_CODE, messages
from assistant.dossier_flow import DossierFlowState, handle
from assistant.router import RouteDecision


def test_dossier_messages_name_every_factor_and_the_code_hint() -> None:
    for factor, label in FACTOR_LABELS.items():
        texts = messages("1900 0000", factor, 600)
        assert label in texts["not_found_or_mismatch"] and label in texts["invalid_verification"]
        assert texts["invalid_code"] == INVALID_CODE and CODE_HINT in INVALID_CODE
        assert "10 phút" in texts["locked"]


def test_dossier_messages_are_what_the_chat_flow_says() -> None:
    for factor, label in FACTOR_LABELS.items():
        asked, state = handle("hồ sơ của tôi", RouteDecision("dossier_status"), None, None, "c",
                              factor=factor)
        assert CODE_HINT in asked.answer and label in asked.answer
        retry, _ = handle("000.00.21", RouteDecision("dossier_status"), state, None, "c",
                          factor=factor)
        assert retry.answer == INVALID_CODE
