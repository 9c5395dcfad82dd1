"""`python -m assistant.cli ...` is `troly ...`."""

import sys

from assistant.cli import main

sys.exit(main())
