"""The files of an issued version (PDF, Word, Excel): asking for one, making it in the
background, and telling the person who asked when it is ready.

A file follows from the version's frozen content alone, so once made it is kept and given to
everyone who asks for it after. Making one for a board of sixty schools takes a while, so it is
done by the task worker (`python -m stelsel db_worker`): the page shows its progress, and the
person who asked gets an email with the link. When making it fails, the file says why in words
a reader understands, and asking again starts it afresh.
"""

import datetime
import logging
import smtplib
import time
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from stelsel.lib.data_versions import board_scope
from stelsel.reports import outputs
from stelsel.reports.models import OutputFormat, RenderState, ReportFile, ReportVersion
from stelsel.reports.services import CONTROL
from stelsel.reports.snapshot import content_hash

logger = logging.getLogger(__name__)

# A file still waiting or being made after this long is taken to be lost (a worker stopped).
STALE = datetime.timedelta(minutes=30)
# A file still waiting for a worker after this long gets a word about the worker on its page.
WAITING_LONG = datetime.timedelta(minutes=2)
# Progress is written when it has moved this many percent, not on every small step.
PROGRESS_STEP = 5


class RenderError(Exception):
    """Making the file failed for a reason the reader can be told."""


def file_of(version: ReportVersion, format: str) -> ReportFile | None:
    """The file of this format made or being made from a version, if anyone asked for it."""
    return ReportFile.objects.filter(version=version, format=format).first()


def files_of(version: ReportVersion) -> dict[str, ReportFile]:
    return {f.format: f for f in ReportFile.objects.filter(version=version)}


def is_ready(report_file: ReportFile | None) -> bool:
    return (
        report_file is not None
        and report_file.state == RenderState.DONE
        and bool(report_file.file)
        and report_file.file.storage.exists(report_file.file.name)
    )


def is_waiting_long(report_file: ReportFile | None) -> bool:
    """Still waiting for a worker after a while: perhaps no worker runs."""
    return (
        report_file is not None
        and report_file.state == RenderState.QUEUED
        and report_file.requested_at < timezone.now() - WAITING_LONG
    )


def file_request(*, version: ReportVersion, format: str, user) -> ReportFile:
    """Ask for a version's file: the one made before when it is there, the one being made
    when it is on its way, else a new one queued for the task worker."""
    if not version.is_issued or version.snapshot is None:
        raise ValidationError(_("Only an issued version has files."))
    if format not in outputs.OUTPUTS:
        raise ValidationError(_("Unknown file type."))
    with transaction.atomic():
        report_file, created = ReportFile.objects.select_for_update().get_or_create(
            version=version,
            format=format,
            defaults={"board_id": version.board_id, "requested_by": user},
        )
        if not created:
            if is_ready(report_file):
                return report_file
            waiting = report_file.state in (RenderState.QUEUED, RenderState.RUNNING)
            if waiting and report_file.requested_at > timezone.now() - STALE:
                return report_file
            # Failed, lost on the way, or its stored file is gone: make it again.
            report_file.state = RenderState.QUEUED
            report_file.progress = 0
            report_file.error = ""
            report_file.requested_by = user
            report_file.requested_at = timezone.now()
            report_file.finished_at = None
            report_file.seconds = None
            report_file.notified = False
            report_file.save()
    render_report_file.enqueue(report_file.pk)
    report_file.refresh_from_db()
    return report_file


def _progress_writer(file_id: int):
    last = 0

    def write(share: float) -> None:
        nonlocal last
        percent = max(0, min(99, int(share * 100)))
        if percent - last >= PROGRESS_STEP:
            last = percent
            ReportFile.objects.filter(pk=file_id).update(progress=percent)

    return write


def _content(version: ReportVersion) -> dict:
    content = version.snapshot
    if not version.is_issued or content is None:
        raise RenderError(_("Only an issued version has files."))
    if content_hash(content) != version.content_hash:
        raise RenderError(
            _(
                "The stored content of this version does not match its content hash, so no "
                "file is made from it. Tell your administrator."
            )
        )
    return printable(content)


def printable(value):
    """The content with the control characters Word and Excel cannot hold taken out (a text
    pasted from elsewhere may carry one; the stored snapshot keeps it as it was issued)."""
    if isinstance(value, str):
        return CONTROL.sub("", value)
    if isinstance(value, dict):
        return {k: printable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [printable(v) for v in value]
    return value


def file_render(file_id: int) -> str:
    """Make a requested file (the task worker's job): the content from the version's snapshot,
    the file into storage, its time recorded, and the person who asked told. Returns the state
    the file ends in."""
    claimed = ReportFile.objects.filter(pk=file_id, state=RenderState.QUEUED).update(
        state=RenderState.RUNNING, progress=0, error=""
    )
    report_file = (
        ReportFile.objects.select_related("version__report", "requested_by")
        .filter(pk=file_id)
        .first()
    )
    if report_file is None:
        return "gone"
    if not claimed:
        return report_file.state  # made already, or being made by another worker
    version = report_file.version
    language = (version.snapshot or {}).get("language") or settings.LANGUAGE_CODE
    started = time.perf_counter()
    with board_scope(report_file.board_id):
        try:
            content = _content(version)
            data = outputs.render(
                report_file.format, content, progress=_progress_writer(report_file.pk)
            )
            old = report_file.file.name if report_file.file else ""
            extension = outputs.OUTPUTS[report_file.format].extension
            report_file.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(data), save=False)
            if old and old != report_file.file.name and report_file.file.storage.exists(old):
                report_file.file.storage.delete(old)
            state, error = RenderState.DONE, ""
        except RenderError as exc:
            state, error = RenderState.FAILED, str(exc)
        except Exception:
            logger.exception("Making file %s of report version %s failed", file_id, version.pk)
            with translation.override(language):
                error = _(
                    "The file could not be made. Try again; if it fails again, tell your "
                    "administrator."
                )
            state = RenderState.FAILED
        seconds = round(time.perf_counter() - started, 3)
        fields = {
            "state": state,
            "error": error,
            "seconds": seconds,
            "finished_at": timezone.now(),
        }
        if state == RenderState.DONE:
            fields.update(progress=100, file=report_file.file.name)
        ReportFile.objects.filter(pk=file_id).update(**fields)
        for name, value in fields.items():
            setattr(report_file, name, value)
        if notify(report_file):
            ReportFile.objects.filter(pk=file_id).update(notified=True)
            report_file.notified = True
    return state


@task()
def render_report_file(file_id: int) -> str:
    """Make a requested file of an issued report (run by the task worker)."""
    return file_render(file_id)


def file_url(report_file: ReportFile) -> str:
    version = report_file.version
    return reverse(
        "reports:file",
        args=[version.board_id, version.report_id, version.number, report_file.format],
    )


def notify(report_file: ReportFile) -> bool:
    """Email the person who asked that the file is ready (or could not be made), with the
    link to it. Returns whether an email went out."""
    user = report_file.requested_by
    if user is None or not user.is_active or not user.email:
        return False
    version = report_file.version
    title = (version.snapshot or {}).get("title") or version.report.title
    ready = report_file.state == RenderState.DONE
    with translation.override(settings.LANGUAGE_CODE):
        label = OutputFormat(report_file.format).label
        if ready:
            subject = _("Your report is ready: %(title)s (%(kind)s)")
        else:
            subject = _("Your report could not be made: %(title)s (%(kind)s)")
        # A mail header holds one line: a title is one, but one issued earlier may not be.
        subject = " ".join((subject % {"title": title, "kind": label}).split())
        body = render_to_string(
            "reports/email/file_ready.txt",
            {
                "user": user,
                "title": title,
                "version": version,
                "kind": label,
                "ready": ready,
                "error": report_file.error,
                "url": settings.SITE_URL + file_url(report_file),
            },
        )
    try:
        EmailMessage(
            subject=subject,
            body=body,
            to=[user.email],
            headers={"Auto-Submitted": "auto-generated"},
        ).send()
    except (smtplib.SMTPException, OSError):
        logger.warning("Could not email %s that report file %s is ready", user.pk, report_file.pk)
        return False
    return True
