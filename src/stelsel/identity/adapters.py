"""allauth adapters: the boards' providers, the linking rule and the password rule.

The social adapter reads each board's provider from Stelsel's table (`apps_for_allauth`) and
decides every sign-in through one in `pre_social_login`:
1. the provider vouches for an address in the board's domains (`claims.vouched_email`);
2. that address belongs to someone the board knows: a person with a role on the board, or one
   with an open invitation, whose invitations are then accepted (the invitation gives the role,
   never the sign-in);
3. on the first sign-in the provider's account is linked to that person; later sign-ins find
   the link, and still need a role on the board.
Anything else is refused with a page that says why, and nothing is written but the reason on
the provider's record. Nobody signs up through a provider.

The account adapter refuses a password sign-in where the board turned passwords off
(`policy.password_refused_by`) and keeps what a provider sign-in proved in the session.
"""

import logging
from datetime import timedelta

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount
from django.db import transaction
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from stelsel.accounts.adapter import AccountAdapter as BaseAccountAdapter
from stelsel.accounts.models import User
from stelsel.accounts.services import user_create
from stelsel.identity.apps_for_allauth import OIDC, SAML, is_complete, social_app
from stelsel.identity.claims import multi_factor, vouched_email
from stelsel.identity.errors import REFUSALS, explain
from stelsel.identity.models import IdentityProvider, ProviderKind
from stelsel.identity.policy import open_invitations, password_refused_by, remember_sign_in
from stelsel.identity.saml import certificate_expired
from stelsel.identity.sign_out import leave_url, provider_sign_out_url
from stelsel.organisations.models import Membership
from stelsel.organisations.services import invitations_accept_vouched

logger = logging.getLogger(__name__)
ERROR_INTERVAL = timedelta(minutes=1)


def provider_record(key: str) -> IdentityProvider | None:
    return IdentityProvider.objects.select_related("board").filter(key=key).first()


def record_error(key: str, message: str) -> None:
    """Keep the reason for the board executive; at most once a minute per provider, so nobody
    can make the database write on every request by sending junk to a sign-in address."""
    now = timezone.now()
    IdentityProvider.objects.filter(key=key).filter(
        Q(last_error_at__isnull=True) | Q(last_error_at__lt=now - ERROR_INTERVAL)
    ).update(last_error=message[:1000], last_error_at=now)


def _claims(provider: IdentityProvider, extra: dict) -> tuple[dict, list[str]]:
    if provider.kind == ProviderKind.SAML:
        return {"email": extra.get("email")}, list(extra.get("authn_contexts") or [])
    id_token = dict(extra.get("id_token") or {})
    userinfo = extra.get("userinfo") or {}
    claims = {**userinfo, **id_token}  # the signed token wins where both speak
    for key in ("email", "email_verified"):
        if key not in id_token and key in userinfo:
            claims[key] = userinfo[key]
    return claims, []


def _may_link(request, user, provider: IdentityProvider) -> bool:
    """Whether a first sign-in through `provider` may link to this existing account.

    A board controls its own provider, so its word links an account only when the account is
    that board's alone: all its roles on that board, no link to another provider, no staff
    rights. Otherwise the person links while signed in to the account itself (having given its
    password), so no board can sign in as someone of another board or programme.
    """
    if request.user.is_authenticated and request.user.pk == user.pk:
        return True
    if user.is_staff or user.is_superuser:
        return False
    if SocialAccount.objects.filter(user=user).exclude(provider=provider.key).exists():
        return False
    boards = set(Membership.objects.filter(user=user).values_list("board_id", flat=True))
    return boards == {provider.board_id}


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        """One board's provider, by its key; never a list of all boards' providers."""
        if provider == SAML and client_id:
            rows = IdentityProvider.objects.filter(kind=ProviderKind.SAML, key=client_id)
        elif provider and provider not in (SAML, OIDC) and not client_id:
            rows = IdentityProvider.objects.filter(key=provider)
        else:
            return []
        return [social_app(row) for row in rows if is_complete(row)]

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        context = extra_context or {}
        key = getattr(getattr(provider, "app", None), "provider_id", "") or ""
        reason = context.get("saml_last_error_reason") or ""
        message = explain(exception, error, reason)
        logger.warning("sign-in through provider %s failed: %s (%s)", key, message, reason)
        # An OpenID Connect answer counts only for a sign-in this browser started (a known
        # state): anyone can call the sign-in address with made-up parameters.
        started_here = (
            "saml_errors" in context
            or bool(context.get("state") or context.get("started_here"))
            or getattr(request, "identity_started_here", False)
        )
        if key and started_here:
            record_error(key, message)

    def pre_social_login(self, request, sociallogin) -> None:
        key = sociallogin.account.provider
        provider = provider_record(key)
        if provider is None:
            self._refuse(request, None, "unknown_person")
        if provider.kind == ProviderKind.SAML and certificate_expired(provider.saml_certificate):
            self._refuse(request, provider, "certificate_expired", record=True)
        claims, contexts = _claims(provider, sociallogin.account.extra_data)
        domains = set(provider.domains.values_list("domain", flat=True))
        vouched = vouched_email(
            kind=provider.kind, claims=claims, domains=domains, tenant=provider.tenant
        )
        if vouched.refusal:
            self._refuse(request, provider, vouched.refusal, record=True)
        with transaction.atomic():
            user = sociallogin.user if sociallogin.is_existing else None
            if user is None:
                user = User.objects.filter(email__iexact=vouched.email).first()
                if user is not None and not _may_link(request, user, provider):
                    self._refuse(request, provider, "other_boards")
            known = (
                user is not None
                and Membership.objects.filter(user=user, board=provider.board).exists()
            )
            # A linked person's invitations are theirs, whatever address the provider sends now.
            address = user.email if sociallogin.is_existing else vouched.email
            invited = open_invitations(provider.board, address).exists()
            if not known and not invited:
                self._refuse(request, provider, "unknown_person")
            if user is not None and not user.is_active:
                self._refuse(request, provider, "inactive")
            if user is None:
                user = user_create(
                    email=vouched.email, password=None, name=str(claims.get("name") or "")[:150]
                )
            if invited:
                invitations_accept_vouched(board=provider.board, user=user)
            if not sociallogin.is_existing:
                sociallogin.connect(request, user)
        extra = sociallogin.account.extra_data
        sociallogin.state["identity"] = {
            "provider": provider.key,
            "board": provider.board_id,
            "kind": provider.kind,
            "mfa": multi_factor(claims, contexts),
            "id_token": getattr(sociallogin, "raw_id_token", "") or "",
            "name_id": extra.get("name_id") or "",
            "name_id_format": extra.get("name_id_format") or "",
            "session_index": extra.get("session_index") or "",
        }
        IdentityProvider.objects.filter(pk=provider.pk).update(
            verified_at=timezone.now(), last_error=""
        )

    def _refuse(self, request, provider, reason: str, record: bool = False):
        if provider is not None and record:
            record_error(provider.key, str(REFUSALS[reason]))
        response = render(
            request,
            "identity/refused.html",
            {"reason": REFUSALS[reason], "provider": provider},
            status=403,
        )
        raise ImmediateHttpResponse(response)


class AccountAdapter(BaseAccountAdapter):
    def pre_login(self, request, user, **kwargs):
        signal_kwargs = kwargs.get("signal_kwargs") or {}
        if "sociallogin" not in signal_kwargs:
            provider = password_refused_by(user)
            if provider is not None:
                return render(
                    request,
                    "identity/use_provider.html",
                    {"provider": provider},
                    status=403,
                )
        return super().pre_login(request, user, **kwargs)

    def get_login_stages(self) -> list[str]:
        stages = super().get_login_stages()
        return [
            "stelsel.identity.stages.AuthenticateStage"
            if stage == "allauth.mfa.stages.AuthenticateStage"
            else stage
            for stage in stages
        ]

    def get_logout_redirect_url(self, request):
        target = provider_sign_out_url(request)
        return leave_url(target) if target else super().get_logout_redirect_url(request)

    def post_login(self, request, user, **kwargs):
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        remember_sign_in(request, sociallogin.state.get("identity") if sociallogin else None)
        return super().post_login(request, user, **kwargs)
