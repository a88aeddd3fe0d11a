"""Plans in legacy formats — Word 97-2003 (.doc), Excel 97-2003 (.xls) and RTF — converted by
LibreOffice to DOCX or XLSX and read as those (`read_source`), with every guard of theirs.

The kind is sniffed from the content: RTF starts with `{\\rtf`; .doc and .xls are OLE2 compound
files (`\\xd0\\xcf\\x11\\xe0`) told apart by the streams at their root (olefile reads the compound
file's directory): "WordDocument" is Word's, "Workbook" (or "Book", Excel 5) is Excel's. A
compound file that holds an "EncryptedPackage" is a DOCX or XLSX saved with a password, and a
Word or Excel file whose own header says it is encrypted is refused the same way, before
LibreOffice is asked to open it.

LibreOffice (`soffice`, Debian's `libreoffice-writer-nogui` for .doc and .rtf and
`libreoffice-calc-nogui` for .xls) converts in a temporary directory of its own, with a fresh
profile that turns macros off, never updates links or recalculates formulas (a `WEBSERVICE`
cell or a linked image would otherwise fetch from the network) and, where user namespaces allow
it (`unshare --net`), without a network at all. It has SECONDS to finish, then it is killed with
its whole process group; its output must be no bigger than a plan file may be. Without
LibreOffice the file is refused with a message naming the package to install, or asking for
the plan as DOCX or XLSX.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from civicplan.i18n import gettext as _
from civicplan.plandoc.errors import PlanReadError
from civicplan.plandoc.readers.limits import MB
from civicplan.plandoc.source import SourceDocument

SECONDS = 120  # LibreOffice takes about 35 s for a 2,000-row .doc, 55 s for its RTF
OLE2 = b"\xd0\xcf\x11\xe0"  # the compound file's signature (its first four bytes)
RTF = b"{\\rtf"
# kind -> (what LibreOffice writes, its filter, the file name it reads, the Debian package)
_TARGETS = {
    "doc": ("docx", "docx:MS Word 2007 XML", "plan.doc", "libreoffice-writer-nogui"),
    "rtf": ("docx", "docx:MS Word 2007 XML", "plan.rtf", "libreoffice-writer-nogui"),
    "xls": ("xlsx", "xlsx:Calc MS Excel 2007 XML", "plan.xls", "libreoffice-calc-nogui"),
}
_NAMES = {"doc": "Word 97-2003 (DOC)", "xls": "Excel 97-2003 (XLS)", "rtf": "RTF"}
# A profile that runs no macro, updates no link (Writer: never = 0, Calc: never = 1) and
# recalculates no formula on load (never = 1), and loads no image an untrusted document links.
_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop
 oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop
 oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop
 oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link"
 oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Content/Update"><prop oor:name="Link"
 oor:op="fuse"><value>1</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode"
 oor:op="fuse"><value>1</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode"
 oor:op="fuse"><value>1</value></prop></item>
</oor:items>
"""


def sniff(data: bytes, source: str) -> str | None:
    """ "doc", "xls" or "rtf" for a file LibreOffice is to convert, None for another format;
    a compound file that is neither Word's nor Excel's, or is encrypted, is refused."""
    if data.startswith(RTF):
        return "rtf"
    if not data.startswith(OLE2):
        return None
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            names = {entry[0].lower() for entry in ole.listdir(streams=True, storages=True)}
            if "encryptedpackage" in names:
                raise PlanReadError(source, password_protected())
            if "worddocument" in names:
                _refuse_encrypted_word(ole, source)
                return "doc"
            for book in ("Workbook", "Book"):
                if book.lower() in names:
                    _refuse_encrypted_excel(ole, book, source)
                    return "xls"
    except PlanReadError:
        raise
    except Exception as error:  # olefile raises OSError and others for a damaged file
        raise PlanReadError(
            source,
            _("файл Word или Excel 97-2003 повреждён или не поддерживается (%(error)s)")
            % {"error": type(error).__name__},
        ) from None
    raise PlanReadError(source, unsupported())


def unsupported() -> str:
    return _(
        "формат не поддерживается: нужен план в DOCX, XLSX, ODT, ODS, DOC, XLS, RTF, PDF с "
        "текстом или текстовый файл"
    )


def password_protected() -> str:
    return _("файл защищён паролем: откройте его и сохраните без пароля")


def _refuse_encrypted_word(ole: object, source: str) -> None:
    """Word's file information block: bit fEncrypted (0x0100) of the flags at offset 10."""
    with ole.openstream("WordDocument") as stream:  # type: ignore[attr-defined]
        head = stream.read(12)
    if len(head) == 12 and int.from_bytes(head[10:12], "little") & 0x0100:
        raise PlanReadError(source, password_protected())


def _refuse_encrypted_excel(ole: object, stream_name: str, source: str) -> None:
    """A FILEPASS record (0x002F) among the workbook's first records: it is encrypted."""
    with ole.openstream(stream_name) as stream:  # type: ignore[attr-defined]
        head = stream.read(4096)
    offset = 0
    for _record in range(32):
        if offset + 4 > len(head):
            return
        kind = int.from_bytes(head[offset : offset + 2], "little")
        length = int.from_bytes(head[offset + 2 : offset + 4], "little")
        if kind == 0x002F:
            raise PlanReadError(source, password_protected())
        offset += 4 + length


def check_converter(kind: str, source: str) -> None:
    """Refuse the file at once if LibreOffice is not there to convert it."""
    if _soffice() is None:
        raise PlanReadError(source, _missing(kind))


def _missing(kind: str) -> str:
    return _(
        "чтобы прочитать файл %(kind)s, на сервере нужен LibreOffice (пакет Debian "
        "%(package)s): установите его или сохраните план как DOCX или XLSX"
    ) % {"kind": _NAMES[kind], "package": _TARGETS[kind][3]}


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_converted(data: bytes, source: str, kind: str) -> SourceDocument:
    """The paragraphs and tables of a .doc, .xls or .rtf plan, through LibreOffice."""
    from civicplan.plandoc.readers import MAX_FILE_BYTES, read_source

    converted = convert(data, source, kind)
    if len(converted) > MAX_FILE_BYTES:
        raise PlanReadError(
            source,
            _("после преобразования LibreOffice файл больше %(limit)s МБ")
            % {"limit": MAX_FILE_BYTES // MB},
        )
    return read_source(converted, source)


def convert(data: bytes, source: str, kind: str) -> bytes:
    """The file converted by LibreOffice to DOCX (.doc, .rtf) or XLSX (.xls)."""
    soffice = _soffice()
    if soffice is None:
        raise PlanReadError(source, _missing(kind))
    extension, target, name, _package = _TARGETS[kind]
    with tempfile.TemporaryDirectory(prefix="civicplan-convert-") as temporary:
        work = Path(temporary)
        (work / name).write_bytes(data)
        profile = work / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nologo",
            "--nodefault",
            "--convert-to",
            target,
            "--outdir",
            str(work / "out"),
            str(work / name),
        ]
        _run([*_without_network(), *command], work, source)
        output = work / "out" / f"plan.{extension}"
        if not output.is_file():
            raise PlanReadError(
                source,
                _(
                    "LibreOffice не смог преобразовать файл %(kind)s: он повреждён или защищён "
                    "паролем; сохраните план как DOCX или XLSX"
                )
                % {"kind": _NAMES[kind]},
            )
        return output.read_bytes()


def _run(command: list[str], work: Path, source: str) -> None:
    """Run LibreOffice in a session of its own, killed with everything it started when its
    time is up."""
    environment = {**os.environ, "HOME": str(work), "TMPDIR": str(work)}
    process = subprocess.Popen(
        command,
        cwd=work,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        process.wait(timeout=SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise PlanReadError(
            source,
            _("LibreOffice не преобразовал файл за %(seconds)s с: сохраните план как DOCX или XLSX")
            % {"seconds": SECONDS},
        ) from None
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # anything it left running


@functools.cache
def _without_network() -> tuple[str, ...]:
    """`unshare` into a network namespace of its own (no network), where this machine allows
    user namespaces; else nothing (the profile still keeps LibreOffice off the network)."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    try:
        done = subprocess.run(
            [unshare, "--net", "--map-root-user", "true"], capture_output=True, timeout=5
        )
    except (OSError, subprocess.TimeoutExpired):
        return ()
    return (unshare, "--net", "--map-root-user") if done.returncode == 0 else ()
