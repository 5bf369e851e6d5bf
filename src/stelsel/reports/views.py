"""The report pages: the list, composing, a version (draft or issued), editing a section, review
comments, issuing, a new version, comparing versions, and the board's own templates."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stelsel.lib.conflicts import conflict_view
from stelsel.lib.forms import add_service_errors
from stelsel.lib.revisions import EditConflict
from stelsel.organisations.access import has_unit_permission, require_unit
from stelsel.organisations.decorators import board_view, kept_page
from stelsel.organisations.roles import Permission
from stelsel.picture.access import get_inspector_link_for_user
from stelsel.reports import diff, files, outputs, selectors, services, sharing
from stelsel.reports.access import (
    get_comment_for_user,
    get_report_for_user,
    get_section_for_user,
    get_template_for_user,
    get_version_for_user,
    may_issue,
    may_write,
    schools_for_report,
    templates_for_user,
)
from stelsel.reports.blocks import BLOCKS
from stelsel.reports.forms import (
    CommentForm,
    CompareForm,
    ComposeForm,
    NewVersionForm,
    SectionForm,
    TemplateForm,
    TemplateSectionFormSet,
)
from stelsel.reports.models import OutputFormat, RenderState, VersionState


def _version_url(report, number) -> str:
    return reverse("reports:version", args=[report.board_id, report.pk, number])


@board_view(Permission.VIEW_REPORTS)
@kept_page
def report_list(request, board):
    rows = selectors.report_rows(request.user, board)
    can_compose = (
        has_unit_permission(request.user, board, Permission.WRITE_REPORTS, None)
        or schools_for_report(request.user, board).exists()
    )
    return render(
        request,
        "reports/list.html",
        {"board": board, "reports": rows, "can_compose": can_compose},
    )


@board_view(Permission.WRITE_REPORTS)
def report_compose(request, board):
    board_level = has_unit_permission(request.user, board, Permission.WRITE_REPORTS, None)
    templates = templates_for_user(request.user, board)
    if not board_level:
        templates = templates.filter(audience="school")
    form = ComposeForm(
        request.POST or None,
        templates=templates,
        schools=schools_for_report(request.user, board),
        board_level=board_level,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_compose(
                board=board,
                author=request.user,
                template=data["template"],
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                school=data["school"],
                selection=list(data.get("selection") or []),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The report is composed as a draft."))
            return redirect(_version_url(report, 1))
    return render(request, "reports/compose.html", {"board": board, "form": form})


@board_view(Permission.VIEW_REPORTS)
def report_detail(request, board, report_id):
    """A report opens at the version its reader works on or reads: the open one for its
    writers, else the latest issued one."""
    report = get_report_for_user(request.user, board, report_id)
    versions = selectors.version_list(request.user, report)
    if not versions:
        raise Http404
    open_ = [v for v in versions if v.state != VersionState.ISSUED]
    return redirect(_version_url(report, (open_ or versions)[-1].number))


@board_view(Permission.VIEW_REPORTS)
@kept_page
def version_detail(request, board, report_id, number):
    report = get_report_for_user(request.user, board, report_id)
    version = get_version_for_user(request.user, report, number)
    can_write = may_write(request.user, report)
    page = selectors.version_page(request.user, version, with_comments=can_write)
    versions = selectors.version_list(request.user, report)
    issued = [v for v in versions if v.is_issued]
    return render(
        request,
        "reports/version.html",
        {
            "board": board,
            "report": report,
            "version": version,
            "versions": versions,
            "issued_versions": issued,
            "content": page["content"],
            "sections": page["sections"],
            "can_write": can_write and not version.is_issued,
            "can_issue": may_issue(request.user, report) and not version.is_issued,
            "can_new_version": can_write
            and version.is_issued
            and all(v.is_issued for v in versions),
            "share_links": sharing.open_links_for_version(request.user, board, version),
            "comment_form": CommentForm(),
            "new_version_form": NewVersionForm(),
            "compare_form": CompareForm(
                initial={"old": issued[-2].number if len(issued) > 1 else 1, "new": version.number}
            ),
        },
    )


def _writable(request, board, report_id, number):
    report = get_report_for_user(request.user, board, report_id, write=True)
    version = get_version_for_user(request.user, report, number)
    return report, version


def _refused_issued(request, report, version):
    messages.error(
        request,
        _("This version is issued and cannot change. Start a new version to correct or update it."),
    )
    return redirect(_version_url(report, version.number))


@board_view(Permission.WRITE_REPORTS)
def section_edit(request, board, report_id, number, section_id):
    report, version = _writable(request, board, report_id, number)
    section = get_section_for_user(request.user, version, section_id)
    if version.is_issued:
        return _refused_issued(request, report, version)
    initial = {"title": section.title, "text": section.text, "revision": section.revision}
    form = SectionForm(request.POST or None, initial=initial)
    context = {"board": board, "report": report, "version": version, "section": section}
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.section_update(
                section=section,
                title=data["title"],
                text=data["text"],
                revision=data["revision"],
                user=request.user,
            )
        except services.ReportIssued:
            return _refused_issued(request, report, version)
        except EditConflict as exc:
            shown = conflict_view(
                exc,
                data=request.POST,
                form_factory=SectionForm,
                pairs_of=lambda current, mine: [
                    (_("Title"), current.title, mine.get("title")),
                    (_("Text"), current.text, mine.get("text")),
                ],
            )
            form = shown.form
            context.update(shown.context())
            status = 409
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The section is saved."))
            return redirect(_version_url(report, version.number) + f"#section-{section.position}")
    context["form"] = form
    return render(request, "reports/section_edit.html", context, status=status)


@require_POST
@board_view(Permission.WRITE_REPORTS)
def comment_add(request, board, report_id, number, section_id):
    report, version = _writable(request, board, report_id, number)
    section = get_section_for_user(request.user, version, section_id)
    form = CommentForm(request.POST)
    anchor = f"#section-{section.position}"
    if not form.is_valid():
        messages.error(request, _("Write a comment of at most 4.000 characters."))
        return redirect(_version_url(report, version.number) + anchor)
    try:
        services.comment_add(section=section, author=request.user, text=form.cleaned_data["text"])
    except services.ReportIssued:
        return _refused_issued(request, report, version)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your comment is added."))
    return redirect(_version_url(report, version.number) + anchor)


@require_POST
@board_view(Permission.WRITE_REPORTS)
def comment_resolve(request, board, report_id, number, comment_id):
    report, version = _writable(request, board, report_id, number)
    comment = get_comment_for_user(request.user, version, comment_id)
    try:
        services.comment_resolve(comment=comment, user=request.user)
    except services.ReportIssued:
        return _refused_issued(request, report, version)
    messages.success(request, _("The comment is marked as dealt with."))
    return redirect(_version_url(report, version.number) + f"#section-{comment.section.position}")


@require_POST
@board_view(Permission.WRITE_REPORTS)
def version_submit(request, board, report_id, number):
    report, version = _writable(request, board, report_id, number)
    try:
        services.version_submit(version=version, user=request.user)
    except services.ReportIssued:
        return _refused_issued(request, report, version)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The version is in review: reviewers can comment per section."))
    return redirect(_version_url(report, version.number))


@board_view(Permission.ISSUE_REPORTS)
def version_issue(request, board, report_id, number):
    """Issuing asks for confirmation first: after it, the version never changes."""
    report = get_report_for_user(request.user, board, report_id)
    version = get_version_for_user(request.user, report, number)
    if not may_issue(request.user, report):
        raise PermissionDenied
    if version.is_issued:
        return _refused_issued(request, report, version)
    open_comments = (
        version.sections.filter(comments__isnull=False, comments__resolved_at__isnull=True)
        .distinct()
        .count()
    )
    status = 200
    moved_on = False
    if request.method == "POST":
        # The revision the issuer saw: a section saved since then is not issued unseen.
        try:
            revision = int(request.POST.get("revision", ""))
        except ValueError:
            revision = None
        try:
            with transaction.atomic():
                services.version_issue(version=version, user=request.user, revision=revision)
        except services.ReportIssued:
            return _refused_issued(request, report, version)
        except EditConflict as exc:
            version = exc.current
            moved_on = True
            status = 409
        else:
            messages.success(request, _("The report is issued. From now on it reads as it is now."))
            return redirect(_version_url(report, version.number))
    return render(
        request,
        "reports/issue_confirm.html",
        {
            "board": board,
            "report": report,
            "version": version,
            "open_comments": open_comments,
            "moved_on": moved_on,
        },
        status=status,
    )


@require_POST
@board_view(Permission.VIEW_REPORTS)
def version_share(request, board, report_id, number):
    """Add an issued version to an inspector's link of its unit that is still open (for those
    who give that unit's links)."""
    report = get_report_for_user(request.user, board, report_id)
    version = get_version_for_user(request.user, report, number)
    if not version.is_issued:
        raise Http404
    require_unit(request.user, board, Permission.SHARE_PICTURE, report.school)
    link = get_inspector_link_for_user(request.user, board, request.POST.get("link"))
    try:
        if link.school_id != report.school_id:
            raise ValidationError(_("That link is for another school or for the board."))
        sharing.add_to_open_link(link=link, version=version, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The inspector can read this version through “%(link)s”.") % {"link": link.label},
        )
    return redirect(_version_url(report, version.number))


@require_POST
@board_view(Permission.WRITE_REPORTS)
def version_new(request, board, report_id):
    report = get_report_for_user(request.user, board, report_id, write=True)
    form = NewVersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what the new version corrects or updates."))
        return redirect("reports:report", board.pk, report.pk)
    try:
        version = services.version_new(
            report=report, user=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reports:report", board.pk, report.pk)
    messages.success(request, _("Version %(n)s is a draft now.") % {"n": version.number})
    return redirect(_version_url(report, version.number))


@board_view(Permission.VIEW_REPORTS)
def version_compare(request, board, report_id):
    report = get_report_for_user(request.user, board, report_id)
    form = CompareForm(request.GET or None)
    changes = None
    old = new = None
    if form.is_valid():
        old = get_version_for_user(request.user, report, form.cleaned_data["old"])
        new = get_version_for_user(request.user, report, form.cleaned_data["new"])
        changes = diff.compare(selectors.version_content(old), selectors.version_content(new))
    return render(
        request,
        "reports/compare.html",
        {
            "board": board,
            "report": report,
            "form": form,
            "old": old,
            "new": new,
            "changes": changes,
            "versions": selectors.version_list(request.user, report),
        },
    )


@board_view(Permission.WRITE_REPORTS)
def template_list(request, board):
    templates = templates_for_user(request.user, board).order_by("board_id", "name", "version")
    return render(
        request,
        "reports/templates.html",
        {
            "board": board,
            "templates": templates,
            "blocks": BLOCKS,
            "can_adapt": has_unit_permission(request.user, board, Permission.WRITE_REPORTS, None),
        },
    )


@require_POST
@board_view(Permission.WRITE_REPORTS)
def template_copy(request, board, template_id):
    template = get_template_for_user(request.user, board, template_id)
    if not has_unit_permission(request.user, board, Permission.WRITE_REPORTS, None):
        raise PermissionDenied
    copy = services.template_copy(board=board, template=template)
    messages.success(request, _("The board has its own copy now: adapt it here."))
    return redirect("reports:template_edit", board.pk, copy.pk)


@board_view(Permission.WRITE_REPORTS)
def template_edit(request, board, template_id):
    template = get_template_for_user(request.user, board, template_id, write=True)
    initial_sections = [
        {"title": s["title"], "block": s.get("block", ""), "prompt": s.get("prompt", "")}
        for s in template.sections
    ]
    form = TemplateForm(
        request.POST or None,
        initial={
            "name": template.name,
            "description": template.description,
            "revision": template.revision,
        },
    )
    formset = TemplateSectionFormSet(
        request.POST or None, initial=initial_sections, prefix="sections"
    )
    status = 200
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = [
            f.cleaned_data
            for f in formset.ordered_forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            services.template_update(
                template=template,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                sections=rows,
                revision=form.cleaned_data["revision"],
            )
        except EditConflict:
            messages.error(
                request,
                _("Someone saved this template after you opened it. Here it is as it is now."),
            )
            return redirect("reports:template_edit", board.pk, template.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
            status = 400
        else:
            messages.success(request, _("The template is saved."))
            return redirect("reports:templates", board.pk)
    return render(
        request,
        "reports/template_edit.html",
        {"board": board, "template": template, "form": form, "formset": formset},
        status=status,
    )


# --- Files of an issued version (PDF, Word, Excel), made by the task worker ------------------


def _issued_version(request, board, report_id, number, format):
    """The issued version a file is asked of; a draft has no files, like an unknown type."""
    if format not in outputs.OUTPUTS:
        raise Http404
    report = get_report_for_user(request.user, board, report_id)
    version = get_version_for_user(request.user, report, number)
    if not version.is_issued:
        raise Http404
    return report, version


@board_view(Permission.VIEW_REPORTS)
def version_file(request, board, report_id, number, format):
    """POST asks for the file (made in the background); GET shows how far it is and, once it
    is ready, offers the download. Whoever reads the version may have its files."""
    report, version = _issued_version(request, board, report_id, number, format)
    if request.method == "POST":
        try:
            report_file = files.file_request(version=version, format=format, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(_version_url(report, version.number))
        if files.is_ready(report_file):
            return redirect("reports:file_download", board.pk, report.pk, version.number, format)
        return redirect("reports:file", board.pk, report.pk, version.number, format)
    report_file = files.file_of(version, format)
    ready = files.is_ready(report_file)
    context = {
        "slow": files.is_waiting_long(report_file),
        "board": board,
        "report": report,
        "version": version,
        "kind": OutputFormat(format).label,
        "report_file": report_file,
        "ready": ready,
        "waiting": report_file is not None
        and report_file.state in (RenderState.QUEUED, RenderState.RUNNING),
    }
    template = "reports/_file_status.html" if request.htmx else "reports/file.html"
    return render(request, template, context)


@board_view(Permission.VIEW_REPORTS)
def version_file_download(request, board, report_id, number, format):
    """The file as an attachment, under a name made from the report's title."""
    report, version = _issued_version(request, board, report_id, number, format)
    report_file = files.file_of(version, format)
    if not files.is_ready(report_file):
        return redirect("reports:file", board.pk, report.pk, version.number, format)
    try:
        handle = report_file.file.open("rb")
    except FileNotFoundError:
        return redirect("reports:file", board.pk, report.pk, version.number, format)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=outputs.file_name(format, version.snapshot),
        content_type=outputs.OUTPUTS[format].content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@board_view(Permission.VIEW_REPORTS)
def draft_figures(request, board, report_id, number):
    """A draft's figures as Excel, made at once from the data as they stand: quick enough to
    wait for, and nothing to keep (an issued version's files are made by the worker). For
    those who write the report, like the draft itself."""
    report = get_report_for_user(request.user, board, report_id, write=True)
    version = get_version_for_user(request.user, report, number)
    if version.is_issued:
        return redirect("reports:file", board.pk, report.pk, version.number, "xlsx")
    content = selectors.version_content(version)
    response = HttpResponse(
        outputs.render("xlsx", content), content_type=outputs.OUTPUTS["xlsx"].content_type
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=outputs.file_name("xlsx", content)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
