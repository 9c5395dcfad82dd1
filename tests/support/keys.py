"""API keys the test suites configure their apps with (only their hashes reach the app)."""

# tests/unit/ui: the app built around fake services
ADMIN_KEY = "khoa-quan-tri-thu"
STAFF_KEY = "khoa-can-bo-thu"

# tests/e2e: the real app driven by a browser
E2E_ADMIN_KEY = "e2e-khoa-quan-tri"
E2E_STAFF_KEY = "e2e-khoa-can-bo"

# tests/abuse: the app attacked over loopback HTTP
ABUSE_ADMIN_KEY = "abuse-khoa-quan-tri"
ABUSE_STAFF_KEY = "abuse-khoa-can-bo"
