"""The backup archive's layout, shared by the writer and the reader.

One ZIP file: `manifest.json` (what the archive holds, see backups.manifest), the database as
JSON Lines, one member per model (`database/<app_label>.<model>.jsonl`), and the file trees
under `media/` (MEDIA_ROOT) and `mail/` (CIVICPLAN_MAIL_DIR)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db.models import Model

FORMAT = "civicplan-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "database"
# Where a restore keeps what it unpacked until the database is in (inside the tree it fills, so
# the final moves are renames on one file system); a backup never takes it.
STAGING_PREFIX = ".restore-"


class BackupError(Exception):
    """A backup or restore refused or failed, with a message for the person who ran it."""


def member_name(model: type[Model]) -> str:
    return f"{DATABASE}/{model._meta.label_lower}.jsonl"


def file_trees() -> dict[str, Path]:
    """The directories a backup carries, by their name in the archive."""
    return {"media": Path(settings.MEDIA_ROOT), "mail": Path(settings.CIVICPLAN_MAIL_DIR)}


def tree_files(root: Path) -> Iterator[Path]:
    """The regular files under `root`, sorted; not a restore's staging directory, nor the mail
    store's temporary files (a letter being written)."""
    if not root.is_dir():
        return
    for directory, subdirectories, names in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith(STAGING_PREFIX))
        for name in sorted(names):
            path = Path(directory, name)
            if _is_temporary(name) or path.is_symlink() or not path.is_file():
                continue
            yield path


def _is_temporary(name: str) -> bool:
    return name.startswith(".") and name.endswith(".tmp")


def relative_member_path(name: str, prefix: str) -> PurePosixPath | None:
    """The path under its tree of member `name` of the `prefix` tree; None when the member is
    not of that tree, or names a place outside it (an absolute path, `..`)."""
    path = PurePosixPath(name)
    if path.is_absolute() or len(path.parts) < 2 or path.parts[0] != prefix:
        return None
    relative = PurePosixPath(*path.parts[1:])
    if any(part in ("", ".", "..") or "\\" in part for part in relative.parts):
        return None
    return relative
