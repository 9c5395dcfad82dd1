"""Fakes for the Protocols in assistant/core/interfaces.py, one module per seam, for the unit
tests of the code around them:

- `fakes.embedder`: FakeEmbedder (Embedder)
- `fakes.retrieval`: FakeStore, FakeSparseEncoder, FakeGate, chunk builders
- `fakes.chunking`: WordCounter (TokenCounter)
- `fakes.evals`: TableRetrieval, TableAnswers (the eval harness's systems)
- `fakes.ui`: FakeChatService, FakeDocumentAdmin, make_services (the app's services)
- `fakes.clock`: FakeClock, the one injectable clock every time-dependent test uses

Import from the module (`from fakes.embedder import FakeEmbedder`); this package imports nothing,
so a unit test pays only for the fakes it uses."""
