"""Checking uploaded evidence: type by content, name against content, size, and clean names."""

import hashlib
import unicodedata
import zipfile

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from stelsel.picture.evidence.files import MAX_NAME, check_upload, extension, sanitise_name
from tests.factories import files

ACCEPTED = [
    ("verslag.pdf", files.PDF, "application/pdf"),
    ("foto.png", files.png(), "image/png"),
    ("foto.jpg", files.JPEG, "image/jpeg"),
    ("foto.JPEG", files.JPEG, "image/jpeg"),
    ("animatie.gif", files.GIF, "image/gif"),
    ("plaatje.webp", files.WEBP, "image/webp"),
    (
        "plan.docx",
        files.docx(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "cijfers.xlsx",
        files.xlsx(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "dia.pptx",
        files.pptx(),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("plan.odt", files.opendocument("text"), "application/vnd.oasis.opendocument.text"),
    (
        "cijfers.ods",
        files.opendocument("spreadsheet"),
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
    (
        "dia.odp",
        files.opendocument("presentation"),
        "application/vnd.oasis.opendocument.presentation",
    ),
    ("oud.doc", files.compound_file("WordDocument"), "application/msword"),
    ("oud.xls", files.compound_file("Workbook"), "application/vnd.ms-excel"),
    (
        "oud.ppt",
        files.compound_file("PowerPoint Document"),
        "application/vnd.ms-powerpoint",
    ),
    (
        "notities.txt",
        "Schoolplan – één keer per vier jaar.\n".encode(),
        "text/plain; charset=utf-8",
    ),
    ("leerlingen.csv", b"groep;aantal\n3;24\n", "text/csv; charset=utf-8"),
]


@pytest.mark.parametrize(("name", "data", "content_type"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_it_accepts_real_files_by_their_content(name, data, content_type):
    # The browser's claim is deliberately wrong: only the content counts.
    checked = check_upload(files.upload(name, data, content_type="application/x-anything"))
    assert checked.content_type == content_type
    assert checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.name == name


REFUSED = [
    ("factuur.pdf", files.EXE, "Windows program"),
    ("setup.exe", files.EXE, "Windows program"),
    ("rapport.pdf", files.HTML, "web page (HTML)"),
    ("rapport.txt", files.HTML, "web page (HTML)"),
    ("rapport.html", files.HTML, "web page (HTML)"),
    ("archief.pdf", files.plain_zip(), "ZIP archive"),
    ("archief.docx", files.plain_zip(), "ZIP archive"),
    ("leeg-kader.docx", files.docx_without_word(), "ZIP archive"),
    ("kapot.docx", b"PK\x03\x04" + b"\x00" * 40, "damaged ZIP archive"),
    ("macro.docx", files.docx(**{"word/vbaProject.bin": b"\x00"}), "with macros"),
    ("installer.doc", files.compound_file("SummaryInformation"), "not a Word"),
    ("script.txt", b"#!/bin/sh\nrm -rf /\n", "script"),
    ("plaatje.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "SVG or XML"),
    ("archief.pdf", b"\x1f\x8b\x08\x00" + b"\x00" * 20, "compressed archive"),
    ("onbekend.pdf", b"\x00\x01\x02\x03binary", "unknown type"),
]


@pytest.mark.parametrize(
    ("name", "data", "seems"), REFUSED, ids=[f"{r[0]}-{r[2]}" for r in REFUSED]
)
def test_it_refuses_files_it_does_not_accept_and_says_what_they_seem(name, data, seems):
    with pytest.raises(ValidationError) as caught:
        check_upload(files.upload(name, data))
    message = " ".join(caught.value.messages)
    assert seems in message
    assert name in message
    assert "Accepted are PDF" in message


MISNAMED = [
    ("verslag.docx", files.PDF, ".docx", "PDF document"),
    ("plan.pdf", files.docx(), ".pdf", "Word document"),
    ("cijfers.docx", files.xlsx(), ".docx", "Excel workbook"),
    ("foto.png", files.JPEG, ".png", "JPEG image"),
    ("plan.odt", files.opendocument("spreadsheet"), ".odt", "OpenDocument spreadsheet"),
    (
        "oud.xls",
        files.compound_file("WordDocument"),
        ".xls",
        "Word document (old format)",
    ),
    ("verslag.exe", files.PDF, ".exe", "PDF document"),
]


@pytest.mark.parametrize(("name", "data", "ext", "seems"), MISNAMED, ids=[m[0] for m in MISNAMED])
def test_it_refuses_a_name_that_disagrees_with_the_content(name, data, ext, seems):
    with pytest.raises(ValidationError) as caught:
        check_upload(files.upload(name, data))
    message = caught.value.messages[0]
    assert f"ends in {ext}" in message
    assert seems in message


def test_it_refuses_text_under_a_document_name():
    with pytest.raises(ValidationError, match="seems to be a text file, but its name ends in .pdf"):
        check_upload(files.upload("verslag.pdf", b"just some words\n"))


def test_it_refuses_text_that_is_not_utf8_or_has_nuls():
    with pytest.raises(ValidationError, match="not in UTF-8"):
        check_upload(files.upload("namen.csv", "Jaël;Zoë\n".encode("latin-1")))
    # Invalid UTF-8 after the first chunk is found too, not only at the start.
    late = b"a;b\n" * 30_000 + b"\xff\n"
    with pytest.raises(ValidationError, match="not in UTF-8"):
        check_upload(files.upload("groot.csv", late))
    with pytest.raises(ValidationError, match="NUL"):
        check_upload(files.upload("namen.txt", b"a" * 10_000 + b"\x00b"))


def test_it_refuses_an_empty_file():
    with pytest.raises(ValidationError, match="is empty"):
        check_upload(files.upload("leeg.pdf", b""))


def test_it_refuses_a_file_over_the_limit_from_the_settings(settings):
    settings.EVIDENCE_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="larger than the limit of 100"):
        check_upload(files.upload("groot.pdf", files.PDF + b"%" * 100))
    assert check_upload(files.upload("klein.pdf", files.PDF[:90])).size == 90


def test_it_counts_the_bytes_itself_when_the_size_is_not_told(settings):
    settings.EVIDENCE_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="larger than the limit"):
        check_upload(files.raw_upload("groot.pdf", files.PDF + b"%" * 200))


def test_it_adds_the_extension_when_the_name_has_none():
    checked = check_upload(files.raw_upload("jaarverslag", files.PDF))
    assert checked.name == "jaarverslag.pdf"


def test_it_does_not_unpack_office_files(monkeypatch):
    """A zip bomb costs nothing: only the archive's directory is read."""
    bomb = files.docx(**{"word/media/huge.bin": b"\x00" * 20_000_000})
    assert len(bomb) < 100_000

    def refuse(*args, **kwargs):
        raise AssertionError("a member was unpacked")

    monkeypatch.setattr(zipfile.ZipExtFile, "read", refuse)
    monkeypatch.setattr(zipfile.ZipExtFile, "read1", refuse)
    checked = check_upload(files.upload("plan.docx", bomb))
    assert checked.type.code == "docx"
    assert checked.size == len(bomb)


def test_it_hides_a_program_behind_a_right_to_left_override():
    # Shown as "factuurexe.pdf" by systems that honour the override; it is a program.
    with pytest.raises(ValidationError) as caught:
        check_upload(files.raw_upload("factuur\u202efdp.exe", files.EXE))
    message = caught.value.messages[0]
    assert "Windows program" in message
    assert "\u202e" not in message
    assert "factuurfdp.exe" in message
    # The same trick on a real PDF: the name's true extension (.exe) disagrees with the content.
    with pytest.raises(ValidationError, match="ends in .exe"):
        check_upload(files.raw_upload("factuur\u202efdp.exe", files.PDF))


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\x\\y.pdf", "y.pdf"),
        ("C:y.pdf", "y.pdf"),
        ("\\\\server\\share\\plan.pdf", "plan.pdf"),
        ("verslag\x00.exe.pdf", "verslag.exe.pdf"),
        ("regel\neen\r\ntwee.pdf", "regeleentwee.pdf"),
        ("factuur\u202efdp.exe", "factuurfdp.exe"),
        ("zero\u200bwidth.pdf", "zerowidth.pdf"),
        ("e\u0301cole.pdf", "\u00e9cole.pdf"),
        ("...", "document"),
        ("..", "document"),
        ("", "document"),
        (None, "document"),
        ("  \t ", "document"),
        ("/", "document"),
        (".bashrc", "bashrc"),
        ("rapport. ", "rapport"),
        ("CON.pdf", "_CON.pdf"),
        ('a<b>:c"d|e?f*.pdf', "a_b__c_d_e_f_.pdf"),
        ("Jaarverslag  2025   def.pdf", "Jaarverslag 2025 def.pdf"),
        ("学校计划.pdf", "学校计划.pdf"),
    ],
)
def test_it_cleans_names(raw, clean):
    assert sanitise_name(raw) == clean


def test_it_shortens_long_names_and_keeps_the_extension():
    name = sanitise_name("a" * 500 + ".pdf")
    assert len(name) == MAX_NAME
    assert name.endswith("aaa.pdf")
    assert extension(name) == "pdf"
    assert len(sanitise_name("é" * 1000)) == MAX_NAME


def test_it_accepts_a_valid_file_under_a_path_and_keeps_only_the_clean_name():
    checked = check_upload(files.raw_upload("../../etc/passwd.pdf", files.PDF))
    assert checked.name == "passwd.pdf"
    checked = check_upload(files.raw_upload("C:\\Users\\x\\Schoolplan 2025.pdf", files.PDF))
    assert checked.name == "Schoolplan 2025.pdf"


NAME_PARTS = st.sampled_from(
    ["..", ".", "/", "\\", "C:", " ", "\t", "\x00", "\u202e", "\u200b", "e", "\u0301", "é",
     "pdf", ".pdf", "CON", ":", "*", "\n", "\ud800", "学"]
)  # fmt: skip
NAMES = st.one_of(st.text(max_size=300), st.lists(NAME_PARTS, max_size=60).map("".join))


@settings(max_examples=400, deadline=None)
@given(NAMES)
def test_sanitised_names_are_always_safe_and_stable(raw):
    name = sanitise_name(raw)
    assert name
    assert "/" not in name and "\\" not in name
    assert all(unicodedata.category(ch)[0] != "C" for ch in name)
    assert name == unicodedata.normalize("NFC", name)
    assert len(name) <= MAX_NAME
    assert name == name.strip(" .")
    assert name not in {".", ".."}
    assert sanitise_name(name) == name
