"""Shared test helpers that are not fakes of a Protocol (constants, builders). Test modules
import them from here, never from a conftest.py: which `conftest` module a bare
`from conftest import ...` finds depends on collection order."""
