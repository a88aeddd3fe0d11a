"""The raw letters on disk: written whole and durable before the server says 250.

Pure Python (no Django). A letter arrives in pieces into a `Spool`, a temporary file under
`<mail dir>/incoming/`, so no copy of it is ever held in memory; when it is whole it is fsync'ed
and renamed to `<mail dir>/YYYY/MM/DD/<uuid>.eml` and the directory fsync'ed, so after a crash
the file is either complete or absent, never half written. A spool that is not kept (the letter
was too big, the connection dropped, storing failed) is deleted.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from civicplan.common.files import fsync_directory

INCOMING = "incoming"  # the spools' directory inside the mail directory
HEAD_BYTES = 64 * 1024  # the start of a letter kept aside for its headers' summary
_STALE_SECONDS = 3600


class Spool:
    """One letter being received. `write` may run in a worker thread while the event loop
    calls `discard` (a dropped connection): a lock keeps them apart."""

    def __init__(self, mail_dir: Path) -> None:
        self.mail_dir = Path(mail_dir)
        self.size = 0
        self.head = b""  # the first HEAD_BYTES: the headers, for header_summary
        self._hash = hashlib.sha256()
        self._path = self.mail_dir / INCOMING / f"{uuid.uuid4().hex}.tmp"
        self._file: BinaryIO | None = None
        self._done = False  # kept or discarded: no more writes
        self._lock = threading.Lock()

    @classmethod
    def of(cls, mail_dir: Path, raw: bytes) -> Spool:
        """A spool holding `raw` (a letter that is already in memory: tests, the command line)."""
        spool = cls(mail_dir)
        spool.write(raw)
        return spool

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def write(self, data: bytes) -> None:
        """Append the next piece of the letter (the file is created with the first piece)."""
        with self._lock:
            if self._done:
                return
            handle = self._open()
            handle.write(data)
            self._hash.update(data)
            if len(self.head) < HEAD_BYTES:
                self.head += data[: HEAD_BYTES - len(self.head)]
            self.size += len(data)

    def keep(self, when: datetime) -> str:
        """Make the letter durable under the day `when`; return its path relative to the mail
        directory. Raises (and deletes the spool) if the disk says no."""
        relative = Path(f"{when:%Y}", f"{when:%m}", f"{when:%d}", f"{uuid.uuid4().hex}.eml")
        target = self.mail_dir / relative
        with self._lock:
            try:
                self._sync()
                _make_directories(target.parent)
                os.rename(self._path, target)
            except BaseException:
                self._remove()
                raise
            self._done = True
        fsync_directory(target.parent)
        return relative.as_posix()

    def discard(self) -> None:
        """Forget the letter (nothing happens if it was kept)."""
        with self._lock:
            if not self._done:
                self._remove()

    def _open(self) -> BinaryIO:
        if self._file is None:
            _make_directories(self._path.parent)
            descriptor = os.open(self._path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
            self._file = os.fdopen(descriptor, "wb")
        return self._file

    def _sync(self) -> None:
        handle = self._open()  # an empty letter still gets its (empty) file
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()

    def _remove(self) -> None:
        self._done = True
        if self._file is not None:
            self._file.close()
        self._path.unlink(missing_ok=True)


def write_eml(mail_dir: Path, raw: bytes, when: datetime) -> str:
    """Store `raw` durably; return its path relative to `mail_dir`."""
    return Spool.of(mail_dir, raw).keep(when)


def remove_stale_spools(mail_dir: Path, older_than: float = _STALE_SECONDS) -> int:
    """Delete spools left by a process that stopped mid-letter (an hour untouched: no live
    connection is that idle); return how many."""
    removed = 0
    cutoff = time.time() - older_than
    for path in (Path(mail_dir) / INCOMING).glob("*.tmp"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def _make_directories(directory: Path) -> None:
    """Create the day's directory; a directory created here is made durable in its parent."""
    if directory.is_dir():
        return
    _make_directories(directory.parent)
    try:
        directory.mkdir()
    except FileExistsError:  # another thread made it first
        return
    fsync_directory(directory.parent)
