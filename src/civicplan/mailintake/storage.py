"""The raw letters on disk: written whole and durable before the server says 250.

Pure Python (no Django). A letter goes to `<mail dir>/YYYY/MM/DD/<uuid>.eml` through a temporary
file in the same directory, fsync'ed, renamed into place, and the directory fsync'ed, so after a
crash the file is either complete or absent, never half written.
"""

from __future__ import annotations

import os
import uuid
from datetime import datetime
from pathlib import Path


def write_eml(mail_dir: Path, raw: bytes, when: datetime) -> str:
    """Store `raw` durably; return its path relative to `mail_dir`."""
    relative = Path(f"{when:%Y}", f"{when:%m}", f"{when:%d}", f"{uuid.uuid4().hex}.eml")
    target = Path(mail_dir) / relative
    _make_directories(target.parent)
    temporary = target.with_name(f".{target.name}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.rename(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_directory(target.parent)
    return relative.as_posix()


def _make_directories(directory: Path) -> None:
    """Create the day's directory; a directory created here is made durable in its parent."""
    if directory.is_dir():
        return
    _make_directories(directory.parent)
    try:
        directory.mkdir()
    except FileExistsError:  # another thread made it first
        return
    _fsync_directory(directory.parent)


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
