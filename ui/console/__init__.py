"""The operators' console: analytics, unanswered questions, curated answers, API keys in the
database, conversations and the admin change log (API in ui.api.routes_console, page in
ui.gradio_console)."""
