"""Small real files of every accepted type, and files that only pretend to be one."""

import io
import struct
import zipfile
import zlib

from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile

PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
WEBP = (
    b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00"
    b"\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program"
HTML = b"<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>\n"


def zip_of(members: dict[str, bytes], *, first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if first is not None:
            archive.writestr(first, members[first], compress_type=zipfile.ZIP_STORED)
        for name, data in members.items():
            if name != first:
                archive.writestr(name, data)
    return buffer.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def docx(**extra: bytes) -> bytes:
    return zip_of(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document/>",
            **extra,
        }
    )


def xlsx() -> bytes:
    return zip_of({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": b"<workbook/>"})


def pptx() -> bytes:
    return zip_of({"[Content_Types].xml": CONTENT_TYPES, "ppt/presentation.xml": b"<p/>"})


def docx_without_word() -> bytes:
    return zip_of({"[Content_Types].xml": CONTENT_TYPES, "docProps/app.xml": b"<Properties/>"})


def plain_zip() -> bytes:
    return zip_of({"readme.txt": b"hello", "setup.exe": EXE})


def opendocument(kind: str) -> bytes:
    mimetype = f"application/vnd.oasis.opendocument.{kind}".encode()
    return zip_of({"mimetype": mimetype, "content.xml": b"<office:document/>"}, first="mimetype")


def compound_file(stream: str) -> bytes:
    """A minimal OLE compound file (512-byte sectors): a FAT sector and a directory sector
    with the root entry and one stream named `stream`."""
    free, end, fat = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, 1, 1, 0, 4096, end, 0, end, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([free] * 108))
    fat_sector = struct.pack("<128I", fat, end, *([free] * 126))

    def entry(name: str, kind: int) -> bytes:
        raw = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        raw[: len(encoded)] = encoded
        struct.pack_into("<HB", raw, 64, len(encoded), kind)
        return bytes(raw)

    directory = entry("Root Entry", 5) + entry(stream, 2) + bytes(128) + bytes(128)
    return bytes(header) + fat_sector + directory


def upload(name: str, data: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    """An upload as the browser sends it; the content type is whatever the browser claims."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def raw_upload(name: str, data: bytes) -> File:
    """A file under exactly the given name (Django's upload classes would already cut a path
    off), to show that the checks do not rely on that."""
    return File(io.BytesIO(data), name=name)
