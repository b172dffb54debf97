"""Files written whole or not at all: through a temporary file beside the target, flushed to disk, then renamed
(a rename within a folder is atomic). Files follow the umask."""
from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from pathlib import Path


def write_text_atomically(target: Path, chunks: Iterable[str]) -> Path:
    """Writes text to `target` through a temporary file beside it and a rename, so a reader (or a run that is
    killed) never leaves half a file; the file follows the umask, as the tables do."""
    temporary = target.parent / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), "w", encoding="utf-8") as stream:
            for chunk in chunks:
                stream.write(chunk)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


def fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def fsync_folder(folder: Path) -> None:
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
