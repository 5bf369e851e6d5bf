"""Checking an uploaded evidence document before it is stored.

A file is recognised by what it contains, never by its name or by the content type the browser
sends: both are chosen by whoever uploads. The name's extension must then agree with the content,
so a program or a web page called `report.pdf` is refused, and the name is cleaned before it is
shown or offered as a download name. Office files are zip archives; only the archive's directory
is read (and, for OpenDocument, its short first member), nothing is extracted, so a zip bomb
costs nothing. The SHA-256 is computed in the same pass that reads the file, chunk by chunk.
"""

import codecs
import hashlib
import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

HEAD_BYTES = 8192
CHUNK_BYTES = 64 * 1024
MAX_NAME = 150
FALLBACK_NAME = "document"


@dataclass(frozen=True)
class FileType:
    """A kind of file we accept: what it is called, its content type and its extensions."""

    code: str
    label: str
    content_type: str
    extensions: tuple[str, ...]


def _ooxml(code, label, content_type, ext):
    return FileType(
        code, label, f"application/vnd.openxmlformats-officedocument.{content_type}", ext
    )


ACCEPTED: dict[str, FileType] = {
    t.code: t
    for t in (
        FileType("pdf", gettext_lazy("PDF document"), "application/pdf", ("pdf",)),
        FileType("png", gettext_lazy("PNG image"), "image/png", ("png",)),
        FileType("jpeg", gettext_lazy("JPEG image"), "image/jpeg", ("jpg", "jpeg")),
        FileType("gif", gettext_lazy("GIF image"), "image/gif", ("gif",)),
        FileType("webp", gettext_lazy("WebP image"), "image/webp", ("webp",)),
        _ooxml("docx", gettext_lazy("Word document"), "wordprocessingml.document", ("docx",)),
        _ooxml("xlsx", gettext_lazy("Excel workbook"), "spreadsheetml.sheet", ("xlsx",)),
        _ooxml(
            "pptx",
            gettext_lazy("PowerPoint presentation"),
            "presentationml.presentation",
            ("pptx",),
        ),
        FileType(
            "odt",
            gettext_lazy("OpenDocument text"),
            "application/vnd.oasis.opendocument.text",
            ("odt",),
        ),
        FileType(
            "ods",
            gettext_lazy("OpenDocument spreadsheet"),
            "application/vnd.oasis.opendocument.spreadsheet",
            ("ods",),
        ),
        FileType(
            "odp",
            gettext_lazy("OpenDocument presentation"),
            "application/vnd.oasis.opendocument.presentation",
            ("odp",),
        ),
        FileType("doc", gettext_lazy("Word document (old format)"), "application/msword", ("doc",)),
        FileType(
            "xls", gettext_lazy("Excel workbook (old format)"), "application/vnd.ms-excel", ("xls",)
        ),
        FileType(
            "ppt",
            gettext_lazy("PowerPoint presentation (old format)"),
            "application/vnd.ms-powerpoint",
            ("ppt",),
        ),
        FileType("txt", gettext_lazy("text file"), "text/plain; charset=utf-8", ("txt",)),
        FileType("csv", gettext_lazy("CSV file"), "text/csv; charset=utf-8", ("csv",)),
    )
}

# What a refused file seems to be, so the message can say so.
REFUSED = {
    "exe": gettext_lazy("a Windows program"),
    "elf": gettext_lazy("a program"),
    "macho": gettext_lazy("a program"),
    "script": gettext_lazy("a script"),
    "html": gettext_lazy("a web page (HTML)"),
    "svg": gettext_lazy("an SVG or XML file"),
    "zip": gettext_lazy("a ZIP archive"),
    "damaged_zip": gettext_lazy("a damaged ZIP archive"),
    "macro": gettext_lazy("an Office document with macros"),
    "ole": gettext_lazy("a compound file that is not a Word, Excel or PowerPoint document"),
    "archive": gettext_lazy("a compressed archive"),
    "rtf": gettext_lazy("an RTF document"),
    "postscript": gettext_lazy("a PostScript file"),
    "binary": gettext_lazy("a file of an unknown type"),
    "text_not_utf8": gettext_lazy("a text file that is not in UTF-8"),
}

ACCEPTED_SUMMARY = gettext_lazy(
    "Accepted are PDF, images (PNG, JPEG, GIF, WebP), Word, Excel and PowerPoint, OpenDocument, "
    "and plain text or CSV in UTF-8."
)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}
OLE_STREAMS = {
    "worddocument": "doc",
    "workbook": "xls",
    "book": "xls",
    "powerpoint document": "ppt",
}
MAX_OLE_DIRECTORY_SECTORS = 64


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check: its clean name, type, size and SHA-256."""

    name: str
    type: FileType
    size: int
    sha256: str

    @property
    def content_type(self) -> str:
        return self.type.content_type


def type_label(content_type: str) -> str:
    """What a stored content type is called on the page."""
    for file_type in ACCEPTED.values():
        if file_type.content_type == content_type:
            return str(file_type.label)
    return content_type


# --- Names ---------------------------------------------------------------------------------

_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_WINDOWS_RESERVED = re.compile(r'[<>:"|?*]')
_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL"} | {
    f"{d}{n}" for d in ("COM", "LPT") for n in "123456789"
}


def sanitise_name(raw, *, max_length: int = MAX_NAME, fallback: str = FALLBACK_NAME) -> str:
    """A name that is safe to show and to offer as a download name.

    Only the last path component is kept (whatever the separators), control and invisible
    formatting characters are dropped (among them NUL and the right-to-left override that makes
    `exe.pdf` out of `fdp.exe`), characters Windows refuses are replaced, and the result is NFC,
    without leading or trailing dots and spaces, not longer than `max_length`, and never empty.
    Applying it twice changes nothing.
    """
    name = unicodedata.normalize("NFC", str(raw or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"^[A-Za-z]:", "", name)
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    name = _WINDOWS_RESERVED.sub("_", name)
    name = unicodedata.normalize("NFC", name)
    name = " ".join(name.split()).strip(" .")
    if not name:
        return fallback
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 10:
        stem, ext = name, ""
    else:
        ext = "." + ext
    if stem.split(".")[0].upper() in _WINDOWS_DEVICES:
        stem = "_" + stem
    if len(stem) + len(ext) > max_length:
        stem = stem[: max(max_length - len(ext), 0)].rstrip(" .")
        if not stem:
            stem = fallback[: max(max_length - len(ext), 1)]
            ext = ext[: max_length - len(stem)].rstrip(" .")
    return stem + ext


def extension(name: str) -> str:
    """The lower-case extension of a cleaned name, or '' if it has none."""
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem and len(ext) <= 10 else ""


# --- Content -------------------------------------------------------------------------------


def _zip_type(upload) -> str:
    """What a zip archive is, from its directory only."""
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            names = [info.filename for info in infos]
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                return "macro"
            if "[Content_Types].xml" in names:
                for prefix, code in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
                    if any(n.startswith(prefix) for n in names):
                        return code
                return "zip"
            first = infos[0] if infos else None
            if first and first.filename == "mimetype" and first.file_size <= 100:
                with archive.open(first) as member:
                    return ODF_TYPES.get(member.read(100).strip(), "zip")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError):
        return "damaged_zip"
    except RuntimeError:  # an encrypted member
        return "zip"
    return "zip"


def _ole_type(upload) -> str:
    """Word, Excel or PowerPoint (old formats), from the names of the compound file's streams.

    Only the header and the directory's sectors are read; a compound file without one of the
    known streams (an installer, for one) is refused.
    """
    upload.seek(0)
    header = upload.read(512)
    if len(header) < 512:
        return "ole"
    shift = struct.unpack_from("<H", header, 0x1E)[0]
    if shift not in (9, 12):
        return "ole"
    sector_size = 1 << shift
    directory_sector = struct.unpack_from("<I", header, 0x30)[0]
    fat_sectors = [s for s in struct.unpack_from("<109I", header, 0x4C) if s < 0xFFFFFFFA]
    per_fat_sector = sector_size // 4

    def read_sector(number: int) -> bytes:
        upload.seek((number + 1) * sector_size)
        return upload.read(sector_size)

    def next_sector(number: int) -> int | None:
        index, offset = divmod(number, per_fat_sector)
        if index >= len(fat_sectors):
            return None
        data = read_sector(fat_sectors[index])
        if len(data) < (offset + 1) * 4:
            return None
        return struct.unpack_from("<I", data, offset * 4)[0]

    sector, seen = directory_sector, set()
    while sector is not None and sector < 0xFFFFFFFA and len(seen) < MAX_OLE_DIRECTORY_SECTORS:
        if sector in seen:
            break
        seen.add(sector)
        data = read_sector(sector)
        for start in range(0, len(data) - 127, 128):
            entry = data[start : start + 128]
            length = struct.unpack_from("<H", entry, 64)[0]
            if entry[66] != 2 or not 2 <= length <= 64:
                continue
            name = entry[: length - 2].decode("utf-16-le", "replace").lower()
            if name in OLE_STREAMS:
                return OLE_STREAMS[name]
        sector = next_sector(sector)
    return "ole"


def _text_type(head: bytes) -> str:
    """Plain text if the start is UTF-8 without NULs; markup and scripts are named as such."""
    if b"\x00" in head:
        return "binary"
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        return "text_not_utf8"
    start = text.lstrip().lower()
    if start.startswith("#!"):
        return "script"
    if start.startswith(("<!doctype html", "<html", "<head", "<body", "<script", "<iframe")):
        return "html"
    if start.startswith(("<?xml", "<svg")):
        return "svg"
    if "<script" in start or "<html" in start:
        return "html"
    if start.startswith("{\\rtf"):
        return "rtf"
    if start.startswith("%!ps"):
        return "postscript"
    return "text"


def detect_type(upload, head: bytes) -> str:
    """A code from ACCEPTED or REFUSED (or 'text', decided by the name), from the content."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(upload)
    if head.startswith(OLE_MAGIC):
        return _ole_type(upload)
    if head.startswith(b"MZ"):
        return "exe"
    if head.startswith(b"\x7fELF"):
        return "elf"
    if head[:4] in (
        b"\xfe\xed\xfa\xce",
        b"\xfe\xed\xfa\xcf",
        b"\xcf\xfa\xed\xfe",
        b"\xca\xfe\xba\xbe",
    ):
        return "macho"
    if head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith((b"Rar!", b"\x1f\x8b", b"7z\xbc\xaf\x27\x1c", b"BZh")):
        return "archive"
    return _text_type(head)


def _seems(code: str) -> str:
    if code in ACCEPTED:
        return str(ACCEPTED[code].label)
    return str(REFUSED.get(code, REFUSED["binary"]))


def check_upload(upload, *, max_bytes: int | None = None) -> CheckedFile:
    """Check an uploaded file; raise ValidationError with a message for the person uploading.

    Nothing is written anywhere: the caller stores the file only after this passed.
    """
    max_bytes = settings.EVIDENCE_MAX_BYTES if max_bytes is None else max_bytes
    name = sanitise_name(getattr(upload, "name", ""))
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(_too_large(name, max_bytes))
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    if not head:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    code = detect_type(upload, head)
    ext = extension(name)
    if code == "text":
        if ext not in ("txt", "csv"):
            raise ValidationError(
                _("“%(name)s” seems to be a text file, but its name ends in .%(ext)s.")
                % {"name": name, "ext": ext}
                if ext
                else _("“%(name)s” seems to be a text file; give it a name ending in .txt or .csv.")
                % {"name": name}
            )
        code = ext
    if code == "text_not_utf8" and ext in ("txt", "csv"):
        raise ValidationError(_not_utf8(name))
    if code not in ACCEPTED:
        raise ValidationError(
            _("“%(name)s” seems to be %(seems)s, which cannot be added as evidence.")
            % {"name": name, "seems": _seems(code)}
            + " "
            + str(ACCEPTED_SUMMARY)
        )
    file_type = ACCEPTED[code]
    if not ext:
        name = sanitise_name(f"{name}.{file_type.extensions[0]}")
    elif ext not in file_type.extensions:
        raise ValidationError(
            _("“%(name)s” ends in .%(ext)s, but its content is of another type: %(seems)s.")
            % {"name": name, "ext": ext, "seems": file_type.label}
        )
    size, sha256 = _read_through(upload, name, max_bytes, text=code in ("txt", "csv"))
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    return CheckedFile(name=name, type=file_type, size=size, sha256=sha256)


def _read_through(upload, name: str, max_bytes: int, *, text: bool) -> tuple[int, str]:
    """Size and SHA-256 in one pass; text files are checked for UTF-8 and NULs on the way."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")() if text else None
    size = 0
    upload.seek(0)
    for chunk in iter(lambda: upload.read(CHUNK_BYTES), b""):
        size += len(chunk)
        if size > max_bytes:
            raise ValidationError(_too_large(name, max_bytes))
        digest.update(chunk)
        if decoder is not None:
            if b"\x00" in chunk:
                raise ValidationError(
                    _("“%(name)s” contains NUL characters and is not a plain text file.")
                    % {"name": name}
                )
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                raise ValidationError(_not_utf8(name)) from None
    if decoder is not None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise ValidationError(_not_utf8(name)) from None
    upload.seek(0)
    return size, digest.hexdigest()


def _not_utf8(name: str) -> str:
    return _("“%(name)s” is not in UTF-8; save it as UTF-8 text and try again.") % {"name": name}


def _too_large(name: str, max_bytes: int) -> str:
    return _("“%(name)s” is larger than the limit of %(max)s.") % {
        "name": name,
        "max": filesizeformat(max_bytes),
    }
