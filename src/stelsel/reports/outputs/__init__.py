"""The files made from a report: PDF, Word and Excel.

Each output reads the content of a version (its snapshot) and nothing else: not the database,
not the request. A file made from an issued version therefore says what the version says,
however the data have changed since, and making it again gives the same content. Labels and
numbers come out in the language the report was written in.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

from stelsel.reports.outputs import docx, pdf, xlsx
from stelsel.reports.outputs.common import Progress, filename


@dataclass(frozen=True)
class Output:
    extension: str
    content_type: str
    render: object  # (snapshot, progress) -> bytes


OUTPUTS = {
    "pdf": Output("pdf", "application/pdf", pdf.render),
    "docx": Output(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        docx.render,
    ),
    "xlsx": Output(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.render
    ),
}


def render(format: str, snapshot: dict, progress: Progress = None) -> bytes:
    """The file of `format` ("pdf", "docx", "xlsx") for a report's content."""
    output = OUTPUTS[format]
    with translation.override(snapshot.get("language") or settings.LANGUAGE_CODE):
        return output.render(snapshot, progress)


def file_name(format: str, snapshot: dict) -> str:
    return filename(snapshot, OUTPUTS[format].extension)
