"""Validity lifecycle: effective dates, amendments, replacements, repeals (issue 11)."""
