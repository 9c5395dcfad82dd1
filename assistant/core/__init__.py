"""The core layer: domain types, Protocols, errors, settings, logging and the Vietnamese text
primitives every other layer shares. It imports nothing of troly's outside `assistant.core`."""
