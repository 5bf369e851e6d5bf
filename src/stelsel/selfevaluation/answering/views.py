"""The public answering pages: by personal link or by meeting code, no account needed.

Works on a phone, shows progress, keeps a draft so an interrupted respondent can continue, and
answers a used, expired, closed or unknown link with a clear page. Guessing links is throttled
per address.
"""

import secrets
import textwrap

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from stelsel.lib.throttle import GuessThrottle
from stelsel.selfevaluation import services
from stelsel.selfevaluation.models import UsedSubmission

DEVICE_COOKIE = "stelsel_device"
# Unknown links or codes: per address, and at most MEETING_GUESS_CEILING from all addresses
# together per window (see `services._meeting_code` for what that bounds).
GUESSES = GuessThrottle("answer", total=services.MEETING_GUESS_CEILING)

UNAVAILABLE = {
    "unknown": (
        404,
        gettext_lazy(
            "This link is not known. Check that you copied the whole "
            "link, or ask the organiser for a new one."
        ),
    ),
    "used": (
        410,
        gettext_lazy("This questionnaire has already been filled in with this link. Thank you!"),
    ),
    "used_device": (
        410,
        gettext_lazy("This questionnaire has already been filled in on this device. Thank you!"),
    ),
    "not_open": (
        403,
        gettext_lazy("This questionnaire is not open yet. Try again when the round opens."),
    ),
    "closed": (410, gettext_lazy("This questionnaire is closed; answers can no longer be given.")),
    "full": (
        410,
        gettext_lazy(
            "As many people as expected have answered with this code. Ask the "
            "organiser if you have not answered yet."
        ),
    ),
    "unknown_code": (
        404,
        gettext_lazy(
            "This code is not known. Check it against the code shown in the room, or ask the "
            "organiser."
        ),
    ),
    "throttled": (
        429,
        gettext_lazy("Too many unknown links from this address. Wait a few minutes and try again."),
    ),
}


# Statements named in the message at the top when answers are missing; the others are marked
# where they stand, so a nearly empty form does not open with a list of two dozen links.
PROBLEMS_LISTED = 5


def _short(text: str) -> str:
    """A statement as the respondent reads it, cut at a word to fit a line or two of a
    message, and before a parenthesis it would leave open."""
    short = textwrap.shorten(text, width=60, placeholder=" …")
    if short.count("(") > short.count(")"):
        short = short[: short.rindex("(")].rstrip() + " …"
    return short


def _unavailable(request, state: str):
    status, message = UNAVAILABLE[state]
    return render(
        request,
        "selfevaluation/answer_unavailable.html",
        {"message": message, "state": state},
        status=status,
    )


def _form_context(round_, perspective, values: dict, refused=None):
    """The form, its statements numbered as shown; after a refused submit, the statements
    concerned are marked and the first of them named with a link to each."""
    version = round_.questionnaire_version
    points = version.scale_points
    concerned = set(refused.missing + refused.invalid) if refused is not None else set()
    sections, problems = [], []
    answered = total = 0
    for section in version.sections.select_related("standard").prefetch_related("items"):
        items = []
        for item in section.items.all():
            name = f"answer-{item.pk}"
            value = values.get(name, "")
            answered += bool(value)
            total += 1
            entry = {
                "item": item,
                "number": total,
                "anchor": f"statement-{item.pk}",
                "text": item.text_for(perspective.code),
                "name": name,
                "value": value,
                "problem": item.pk in concerned,
            }
            entry["short"] = _short(entry["text"])
            items.append(entry)
            if entry["problem"]:
                problems.append(entry)
        sections.append(
            {
                "section": section,
                "items": items,
                "comment_name": f"comment-{section.pk}",
                "comment": values.get(f"comment-{section.pk}", ""),
            }
        )
    return {
        "round": round_,
        "perspective": perspective,
        "sections": sections,
        "points": points,
        "dont_know": version.dont_know_label,
        "dont_know_value": services.DONT_KNOW,
        "answered": answered,
        "total": total,
        "errors": refused.messages if refused is not None else [],
        "problems": problems[:PROBLEMS_LISTED],
        "problems_more": len(problems) > PROBLEMS_LISTED,
        "problems_listed": PROBLEMS_LISTED,
        "complete": answered == total,
        "percent": round(100 * answered / total) if total else 0,
    }


def _fields(post) -> dict:
    """The answer and comment fields of a post, without NUL characters (which PostgreSQL
    refuses in text)."""
    return {
        key: value.replace("\x00", "")
        for key, value in post.items()
        if key.startswith(("answer-", "comment-"))
    }


def _handle(request, *, round_, perspective, draft_key: str, submit):
    values = services.draft_load(draft_key)
    had_draft = bool(values)
    if request.method == "POST":
        values = {**values, **_fields(request.POST)}
        partial = request.POST.get("action") == "save"
        try:
            submission = services.parse_answers(round_, values, partial=partial)
        except services.AnswersRefused as exc:
            services.draft_save(round_=round_, raw_key=draft_key, data=values)
            return render(
                request,
                "selfevaluation/answer.html",
                _form_context(round_, perspective, values, exc),
                status=200,
            )
        if partial:
            services.draft_save(round_=round_, raw_key=draft_key, data=values)
            context = _form_context(round_, perspective, values)
            context["saved"] = True
            return render(request, "selfevaluation/answer.html", context)
        try:
            # A draft is removed with the submission; when none was loaded, none is looked
            # for (the round's closing removes any that a second tab saved meanwhile).
            submit(submission, draft_key if had_draft else "")
        except services.AlreadySubmitted:
            return _unavailable(request, "used")
        except services.NotAnswerable as exc:
            return _unavailable(request, exc.state)
        return redirect("selfevaluation:thanks")
    return render(request, "selfevaluation/answer.html", _form_context(round_, perspective, values))


def _guessed(request, exc: "services.NotAnswerable", *, code: bool = False):
    """Unknown links and codes count towards the address's limit; known ones are never
    throttled."""
    if exc.state == "unknown":
        if GUESSES.refused(request):
            return _unavailable(request, "throttled")
        return _unavailable(request, "unknown_code" if code else "unknown")
    return _unavailable(request, exc.state)


@never_cache
def answer(request, token):
    try:
        invitation = services.invitation_from_token(token)
    except services.NotAnswerable as exc:
        return _guessed(request, exc)
    return _handle(
        request,
        round_=invitation.round,
        perspective=invitation.perspective,
        draft_key=f"invitation:{invitation.pk}",
        submit=lambda submission, draft: services.response_submit(
            perspective=invitation.perspective,
            submission=submission,
            invitation=invitation,
            draft_key=draft,
        ),
    )


@never_cache
def meeting(request, code):
    try:
        perspective = services.perspective_from_meeting_code(code)
    except services.NotAnswerable as exc:
        return _guessed(request, exc, code=True)
    device = request.COOKIES.get(DEVICE_COOKIE, "")
    if len(device) != 43:
        device = secrets.token_urlsafe(32)
    used = UsedSubmission.objects.filter(
        key_hash=services.key_hash(f"{perspective.pk}:{device}")
    ).exists()
    response = (
        _unavailable(request, "used_device")
        if used
        else _handle(
            request,
            round_=perspective.round,
            perspective=perspective,
            draft_key=f"meeting:{perspective.pk}:{device}",
            submit=lambda submission, draft: services.response_submit(
                perspective=perspective,
                submission=submission,
                device_key=device,
                draft_key=draft,
            ),
        )
    )
    response.set_cookie(
        DEVICE_COOKIE,
        device,
        max_age=60 * 60 * 24 * 60,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def meeting_entry(request):
    """Type the code shown in the room, with or without its dash, in any case.

    A code that cannot be one (wrong length or characters) is answered here, without a look-up
    and without counting towards the guessing limit: it reveals nothing."""
    typed = request.GET.get("code", "")[:40]
    if not typed.strip():
        return render(request, "selfevaluation/meeting_entry.html")
    code = services.meeting_code_normal(typed)
    if not services.meeting_code_wellformed(code):
        return render(
            request,
            "selfevaluation/meeting_entry.html",
            {"typed": typed, "error": True},
            status=400,
        )
    return redirect(reverse("selfevaluation:meeting", args=[services.meeting_code_grouped(code)]))


def thanks(request):
    return render(request, "selfevaluation/thanks.html")
