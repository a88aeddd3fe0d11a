"""The parts of a DOCX, XLSX, ODT or ODS package, read within limits and without DTDs.

A plan file is at most 20 MB, but a ZIP part can unpack to far more, and XML parsed into a tree
takes ten times its size. zipfile unpacks no part past the size the central directory gives it (a
longer one fails its CRC check: a damaged part), and `check_package` holds those sizes to each
part's limit by its name. Every part is read through `open_part`, which counts the bytes against the
limit it is read under, for when that is the lower one: a part a relationship names for parsing
whole may have a name that gave it the streamed limit ("word/styles.bin"). Parts that hold the
plan's rows (the Word body, the worksheet, the shared strings, an OpenDocument's content.xml) are
parsed as a stream (`stream_part`) and only small parts are parsed whole (`parse_part`). No part
may declare a DTD: `check_prolog` decodes a part's prolog in the encoding its BOM or XML
declaration gives (UTF-16 and UTF-32 too) and parses it up to the root element, and the parsers
here refuse a tree that has one, so re-encoding the XML does not get a DOCTYPE or ENTITY past the
guard. The limits, and why, are in `limits`.
"""

from __future__ import annotations

import codecs
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator

from lxml import etree

from civicplan.i18n import gettext as _
from civicplan.plandoc.errors import PlanReadError
from civicplan.plandoc.readers.limits import (
    MAX_MEMBERS,
    MAX_RATIO,
    MAX_STREAMED_PART_BYTES,
    MAX_TREE_PART_BYTES,
    MAX_TREE_PARTS_BYTES,
    MAX_UNPACKED_BYTES,
    MB,
)

CHUNK = 64 * 1024
# The parts read as a stream, by name (`word/document.xml` is what the format is sniffed by;
# `content.xml` is an OpenDocument's body, text or sheets).
_STREAMED = re.compile(
    r"word/document\.xml|xl/sharedStrings\.xml|xl/worksheets/[^/]+\.xml|content\.xml"
)
_XML_NAMES = (".xml", ".rels")
_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError)


def part_limit(name: str) -> int:
    """How many bytes the named part may unpack to."""
    if _STREAMED.fullmatch(name) or not name.endswith(_XML_NAMES):
        return MAX_STREAMED_PART_BYTES
    return MAX_TREE_PART_BYTES


def _parser(**options: object) -> etree.XMLParser:
    """lxml's parser with entities left unresolved, no network, no DTD loaded, and libxml2's
    own limits on (text nodes of 10 MB, 256 levels of nesting)."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, **options
    )


def _pull_parser(events: tuple[str, ...], **options: object) -> etree.XMLPullParser:
    return etree.XMLPullParser(
        events=events,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        **options,
    )


# -- reading a part ------------------------------------------------------------------------------


class PartStream:
    """A part's bytes as they are decompressed, refused once past `limit` (which may be lower
    than the limit `check_package` held its size to), and a damaged member a PlanReadError
    naming the part."""

    def __init__(self, archive: zipfile.ZipFile, name: str, source: str, limit: int) -> None:
        self.name, self.source, self.limit, self.read_bytes = name, source, limit, 0
        try:
            self._stream = archive.open(name)  # KeyError for a missing part, for the reader
        except _ZIP_ERRORS:
            raise damaged_part(source, name) from None

    def read(self, size: int = CHUNK) -> bytes:
        try:
            data = self._stream.read(size)
        except _ZIP_ERRORS:
            raise damaged_part(self.source, self.name) from None
        self.read_bytes += len(data)
        if self.read_bytes > self.limit:
            raise part_too_big(self.source, self.name, self.limit)
        return data

    def chunks(self) -> Iterator[bytes]:
        while data := self.read():
            yield data

    def close(self) -> None:
        self._stream.close()


def open_part(
    archive: zipfile.ZipFile, name: str, source: str, limit: int | None = None
) -> PartStream:
    """The named part as a stream of at most `limit` bytes (its kind's limit by default)."""
    return PartStream(archive, name, source, part_limit(name) if limit is None else limit)


def parse_part(archive: zipfile.ZipFile, name: str, source: str) -> etree._Element:
    """A small part parsed whole (at most MAX_TREE_PART_BYTES), refused if it has a DTD.

    Raises KeyError for a missing part and lxml's errors for broken XML, for the reader to
    say which document is damaged."""
    stream = open_part(archive, name, source, MAX_TREE_PART_BYTES)
    parser = _parser(remove_blank_text=True)
    try:
        for data in stream.chunks():
            parser.feed(data)
    finally:
        stream.close()
    root = parser.close()
    _refuse_dtd(root, name, source)
    return root


def stream_part(
    archive: zipfile.ZipFile, name: str, source: str, *, comments: bool = True
) -> Iterator[tuple[str, etree._Element]]:
    """The part's ("end", element) events as it is decompressed and parsed, a chunk at a time:
    memory holds what the caller leaves in the tree (it clears what it has read), never the
    whole part. A DTD is refused at the first event, before any content is read. Without
    `comments`, comments and processing instructions are left out of the tree."""
    stream = open_part(archive, name, source, MAX_STREAMED_PART_BYTES)
    parser = _pull_parser(("end",), remove_comments=not comments, remove_pis=not comments)
    checked = False
    try:
        for data in stream.chunks():
            parser.feed(data)
            events = parser.read_events()
            if not checked:
                for event, element in events:  # the first event, then the others as they are
                    _refuse_dtd(element, name, source)
                    checked = True
                    yield event, element
                    break
            yield from events
        root = parser.close()
        yield from parser.read_events()
        _refuse_dtd(root, name, source)
    finally:
        stream.close()


def drop_read(element: etree._Element) -> None:
    """Clear an element that has been read and remove everything before it, up to the root:
    a streamed part then holds only what is still being read."""
    element.clear()
    node = element
    while (parent := node.getparent()) is not None:
        while node.getprevious() is not None:
            del parent[0]
        node = parent


def relationships(archive: zipfile.ZipFile, part: str, source: str) -> list[tuple[str, str, str]]:
    """The part's internal relationships (the package's for ""): (id, kind, target part name),
    the kind being the last word of the relationship type ("styles", "worksheet")."""
    folder, _slash, name = part.rpartition("/")
    rels_part = posixpath.join(folder, "_rels", f"{name}.rels")
    if part and rels_part not in archive.NameToInfo:
        return []  # a part without relationships (the package must have them)
    rels = parse_part(archive, rels_part, source)
    related = []
    for rel in rels.iterchildren(_RELATIONSHIP):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
        kind = rel.get("Type", "").rpartition("/")[2]
        related.append((rel.get("Id", ""), kind, posixpath.normpath(path)))
    return related


def content_types(archive: zipfile.ZipFile, source: str) -> tuple[dict[str, str], dict[str, str]]:
    """The package's content types: by part name ("/word/document.xml") and by extension
    ("xml", lower case)."""
    types = parse_part(archive, "[Content_Types].xml", source)
    overrides = {
        item.get("PartName", ""): item.get("ContentType", "")
        for item in types.iterchildren(_CONTENT_TYPES + "Override")
    }
    defaults = {
        item.get("Extension", "").lower(): item.get("ContentType", "")
        for item in types.iterchildren(_CONTENT_TYPES + "Default")
    }
    return overrides, defaults


def _refuse_dtd(element: etree._Element, name: str, source: str) -> None:
    info = element.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        raise has_dtd(source, name)


# -- the package guard ---------------------------------------------------------------------------


def check_package(archive: zipfile.ZipFile, source: str) -> None:
    """Refuse a package that could unpack into something huge, going by its headers, or that
    has an XML part with a DTD, whatever the part's encoding."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise PlanReadError(source, _("слишком много частей в архиве"))
    _check_declared_sizes(members, source)
    for member in members:
        if member.filename.endswith(_XML_NAMES):
            check_prolog(archive, member.filename, source)


def _check_declared_sizes(members: list[zipfile.ZipInfo], source: str) -> None:
    """The central directory's sizes bound what reading the parts costs: zipfile unpacks no
    part past its size there."""
    total = 0
    tree_parts = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > MAX_UNPACKED_BYTES or (member.file_size > MB and ratio > MAX_RATIO):
            raise PlanReadError(
                source, _("архив распаковывается в слишком большой объём (ZIP-бомба)")
            )
        limit = part_limit(member.filename)
        if member.file_size > limit:
            raise part_too_big(source, member.filename, limit)
        if limit == MAX_TREE_PART_BYTES:
            tree_parts += member.file_size
    if tree_parts > MAX_TREE_PARTS_BYTES:
        raise PlanReadError(
            source,
            _("служебные XML-части архива вместе больше %(limit)s МБ в распакованном виде")
            % {"limit": MAX_TREE_PARTS_BYTES // MB},
        )


def check_prolog(archive: zipfile.ZipFile, name: str, source: str) -> None:
    """Refuse the part if it declares a DTD: its text before the root element is decoded in
    its own encoding and searched, and parsed by lxml up to the root element. Broken XML is
    left to the reader that needs the part (a part nobody reads may be broken)."""
    stream = open_part(archive, name, source)
    prolog = _Prolog(name, source)
    try:
        for data in stream.chunks():
            if prolog.feed(data):
                return
    finally:
        stream.close()


class _Prolog:
    """The text of a part up to its root element, decoded and parsed as it comes."""

    def __init__(self, name: str, source: str) -> None:
        self.name, self.source = name, source
        self.parser: etree.XMLPullParser | None = _pull_parser(("start",))
        self.decoder: codecs.IncrementalDecoder | None = None
        self.tail = ""  # the end of the text so far, where a declaration may be cut in two

    def feed(self, data: bytes) -> bool:
        """Take the next bytes; True once the root element has started (no DTD can follow)."""
        if self.decoder is None:
            self.decoder = codecs.getincrementaldecoder(xml_encoding(data))(errors="replace")
        text = self.tail + self.decoder.decode(data)
        if "<!DOCTYPE" in text or "<!ENTITY" in text:
            raise has_dtd(self.source, self.name)
        self.tail = text[-16:]
        return self._parse(data)

    def _parse(self, data: bytes) -> bool:
        if self.parser is None:  # lxml could not read it: the text alone is searched
            return False
        try:
            self.parser.feed(data)
            for _event, element in self.parser.read_events():
                _refuse_dtd(element, self.name, self.source)
                return True
        except etree.XMLSyntaxError:
            self.parser = None
        return False


_DECLARED = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def xml_encoding(head: bytes) -> str:
    """The encoding of an XML entity, as XML 1.0 appendix F finds it: the byte order mark,
    else the pattern of zero bytes around the first "<" (UTF-16 and UTF-32 without a BOM),
    else the XML declaration's encoding if Python knows it, else UTF-8."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if head.startswith(bom):
            return encoding
    zeros = tuple(byte == 0 for byte in head[:4])
    by_zeros = {
        (True, True, True, False): "utf-32-be",
        (False, True, True, True): "utf-32-le",
        (True, False, True, False): "utf-16-be",
        (False, True, False, True): "utf-16-le",
    }
    if zeros in by_zeros:
        return by_zeros[zeros]
    declared = _DECLARED.match(head)
    return _ascii_compatible(declared.group(1).decode("ascii")) if declared else "utf-8"


def _ascii_compatible(name: str) -> str:
    """The declared encoding if Python decodes text with it and "<?xml" reads the same in it
    (so not UTF-16 or UTF-32, which the bytes are not in), else UTF-8."""
    try:
        codec = codecs.lookup(name).name
        if b"<?xml".decode(codec) == "<?xml":
            return codec
    except (LookupError, UnicodeError, ValueError):
        pass
    return "utf-8"


# -- messages ------------------------------------------------------------------------------------


def part_too_big(source: str, name: str, limit: int) -> PlanReadError:
    return PlanReadError(
        source,
        _("часть %(part)s больше %(limit)s МБ в распакованном виде")
        % {"part": name, "limit": limit // MB},
    )


def has_dtd(source: str, name: str) -> PlanReadError:
    return PlanReadError(
        source,
        _("часть %(part)s содержит объявление XML-сущностей (DOCTYPE)") % {"part": name},
    )


def damaged_part(source: str, name: str) -> PlanReadError:
    return PlanReadError(source, _("повреждённая часть архива: %(part)s") % {"part": name})
