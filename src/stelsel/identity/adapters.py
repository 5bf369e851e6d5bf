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

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
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
from stelsel.identity.sign_out import provider_sign_out_url
from stelsel.organisations.models import Membership
from stelsel.organisations.services import invitations_accept_vouched

logger = logging.getLogger(__name__)


def provider_record(key: str) -> IdentityProvider | None:
    return IdentityProvider.objects.select_related("board").filter(key=key).first()


def record_error(key: str, message: str) -> None:
    IdentityProvider.objects.filter(key=key).update(
        last_error=message[:1000], last_error_at=timezone.now()
    )


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


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        rows = IdentityProvider.objects.all()
        if provider == SAML:
            rows = rows.filter(kind=ProviderKind.SAML)
        elif provider == OIDC:
            rows = rows.exclude(kind=ProviderKind.SAML)
        elif provider:
            rows = rows.filter(key=provider)
        if client_id:
            rows = rows.filter(Q(kind=ProviderKind.SAML, key=client_id) | Q(client_id=client_id))
        return [social_app(row) for row in rows if is_complete(row)]

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        context = extra_context or {}
        key = getattr(getattr(provider, "app", None), "provider_id", "") or ""
        message = explain(exception, error, context.get("saml_last_error_reason") or "")
        if key:
            record_error(key, message)
        logger.warning("sign-in through provider %s failed: %s", key, message)

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
            known = (
                user is not None
                and Membership.objects.filter(user=user, board=provider.board).exists()
            )
            invited = open_invitations(provider.board, vouched.email).exists()
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
        return provider_sign_out_url(request) or super().get_logout_redirect_url(request)

    def post_login(self, request, user, **kwargs):
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        remember_sign_in(request, sociallogin.state.get("identity") if sociallogin else None)
        return super().post_login(request, user, **kwargs)
