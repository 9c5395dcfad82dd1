"""The composition root: the one place where troly is assembled from settings and closed again.

`assistant.app.troly.open_troly(settings)` yields a typed `Troly` (store, encoders, manifest,
indexer, retriever, answerers, chat service, dossier service); `assistant.app.index` opens the
index side alone (`open_index`, `lock_index`) for commands that only index; `answering`,
`dossier` and `rebuild` build the other parts. This layer may import every layer below it
(`assistant.core`, `indexing`, `connectors`, the query side of `assistant`); `ui`, `evals` and
the CLI sit above it and build troly only through it. Building is cheap: models load and sockets
open on first use, except the store, which is opened (and, embedded, locked) at once.
"""
