"""Library errors -> StoreError, with bilingual messages naming the index location."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from assistant.core.errors import StoreError


@contextmanager
def store_errors(
    where: str, action_vi: str, action_en: str, lock_markers: Sequence[str] = ()
) -> Iterator[None]:
    """Re-raise anything but StoreError as StoreError; a message containing one of
    `lock_markers` means another process holds the index's exclusive lock."""
    try:
        yield
    except StoreError:
        raise
    except Exception as exc:  # qdrant-edge raises plain Exception; qdrant-client several types
        text = str(exc) or type(exc).__name__
        if any(marker in text for marker in lock_markers):
            raise StoreError(
                f"{where}: chỉ mục đang bị một tiến trình troly khác khóa; hãy dừng tiến trình đó "
                f"hoặc dùng Qdrant server / the index is locked by another troly process; stop it "
                f"or use a Qdrant server ({text})"
            ) from exc
        raise StoreError(f"{where}: không thể {action_vi} / cannot {action_en}: {text}") from exc
