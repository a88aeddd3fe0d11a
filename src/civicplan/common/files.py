"""Files: what a crash must not undo once the caller has said "saved", and what a file is."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path


def fsync_directory(directory: Path) -> None:
    """Make a rename or a new entry in the directory durable (the file's own fsync does not)."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def file_type(content: bytes) -> str | None:
    """What the bytes really are, whatever the file's name says: "pdf", "jpeg", "png", "docx",
    "xlsx", "pptx", or None for anything else."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "ppt/presentation.xml" in names:
                return "pptx"
    return None
