"""Vector stores over Qdrant: `edge` (qdrant-edge-py, the embedded default) and `client`
(qdrant-client: a server, or local mode). Pick one with `indexing.store.factory.open_store`."""
