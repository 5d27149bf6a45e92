"""The ``mail.auth`` and ``mail.oauth_*`` settings: how jobnudge signs in to a mailbox.

``auth = "password"`` is the classic login (any server). ``auth = "oauth"`` signs in with an
OAuth 2.0 access token over SASL XOAUTH2 or OAUTHBEARER, which Outlook.com has required since
September 2024 and Google recommends. The ``gmail`` and ``outlook`` presets choose OAuth.

The providers' real endpoints are the defaults; every one can be overridden (a Microsoft 365
tenant, a test issuer on 127.0.0.1). The client id names the application the user consents to:
register your own (docs/mail.md) and set ``mail.oauth_client_id``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jobnudge.errors import ConfigError

AUTH_KINDS = ("password", "oauth")
PROVIDERS = ("microsoft", "google", "custom")
LOGIN_FLOWS = ("device", "browser")

MICROSOFT_CLIENT_ID = ""
"""jobnudge's own registration with Microsoft (empty until the project registers one: then
every user must set ``mail.oauth_client_id``; docs/mail.md says how to get one in 5 minutes)."""
GOOGLE_CLIENT_ID = ""
GOOGLE_CLIENT_SECRET = ""

_MS = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0"
PROVIDER_DEFAULTS: Mapping[str, Mapping[str, str]] = {
    "microsoft": {
        "authorize_url": _MS + "/authorize",
        "token_url": _MS + "/token",
        "device_url": _MS + "/devicecode",
        "revoke_url": "",  # Microsoft has no revocation endpoint: sign out at account.live.com
        # offline_access is what makes Microsoft hand out a refresh token.
        "scopes": "offline_access https://outlook.office.com/IMAP.AccessAsUser.All "
        "https://outlook.office.com/SMTP.Send",
        "flow": "device",
        "client_id": MICROSOFT_CLIENT_ID,
        "client_secret": "",
    },
    "google": {
        "authorize_url": "https://accounts.google.com/o/oauth2/v2/auth",
        "token_url": "https://oauth2.googleapis.com/token",
        "device_url": "",  # Google's device flow does not allow the mail scope
        "revoke_url": "https://oauth2.googleapis.com/revoke",
        "scopes": "https://mail.google.com/",
        "flow": "browser",
        "client_id": GOOGLE_CLIENT_ID,
        "client_secret": GOOGLE_CLIENT_SECRET,
    },
    "custom": {
        "authorize_url": "",
        "token_url": "",
        "device_url": "",
        "revoke_url": "",
        "scopes": "",
        "flow": "device",
        "client_id": "",
        "client_secret": "",
    },
}
PRESET_PROVIDER = {"gmail": "google", "outlook": "microsoft"}

OAUTH_KEYS = (
    "oauth_provider",
    "oauth_client_id",
    "oauth_client_secret",
    "oauth_tenant",
    "oauth_authorize_url",
    "oauth_token_url",
    "oauth_device_url",
    "oauth_revoke_url",
    "oauth_scopes",
    "oauth_flow",
    "token_file",
)


@dataclass(frozen=True, slots=True)
class OAuth:
    """Where and as whom jobnudge asks for mail tokens."""

    provider: str = "custom"
    client_id: str = ""
    client_secret: str = ""  # only for providers that want one from installed apps (Google)
    authorize_url: str = ""
    token_url: str = ""
    device_url: str = ""
    revoke_url: str = ""
    scopes: str = ""
    flow: str = "device"  # "device" (a code typed on any device) or "browser" (loopback + PKCE)
    token_file: str = ""  # where the refresh token is kept when there is no keyring

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    @property
    def label(self) -> str:
        return {"microsoft": "Microsoft", "google": "Google"}.get(self.provider, "your provider")


def _secure(url: str) -> bool:
    """https, or plain http to this machine only (a test issuer): the real host decides, so
    ``http://127.0.0.1@elsewhere/`` is not this machine."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return False
    if parts.scheme == "https":
        return bool(host)
    return parts.scheme == "http" and host in ("127.0.0.1", "localhost", "::1")


def parse_oauth(doc: Mapping[str, Any], preset: str, where: str) -> tuple[str, OAuth]:
    """``(auth, oauth)`` from the merged ``[mail]`` document (the preset's values included)."""
    auth = str(doc.get("auth", "oauth" if preset in PRESET_PROVIDER else "password"))
    auth = auth.strip().lower()
    if auth not in AUTH_KINDS:
        raise ConfigError(f"{where}: mail.auth must be one of {', '.join(AUTH_KINDS)}.")
    for key in OAUTH_KEYS:
        if key in doc and not isinstance(doc[key], str):
            raise ConfigError(f"{where}: 'mail.{key}' must be text, not {doc[key]!r}.")
    provider = str(doc.get("oauth_provider", PRESET_PROVIDER.get(preset, "custom"))).lower()
    if provider not in PROVIDERS:
        raise ConfigError(
            f"{where}: mail.oauth_provider must be one of {', '.join(PROVIDERS)}, not {provider!r}."
        )
    base = PROVIDER_DEFAULTS[provider]
    tenant = str(doc.get("oauth_tenant", "common")).strip() or "common"
    if not tenant.replace("-", "").replace(".", "").isalnum():
        raise ConfigError(
            f"{where}: mail.oauth_tenant must be common, consumers, organizations, a tenant id "
            f"or a domain, not {tenant!r}."
        )

    def pick(key: str) -> str:
        value = str(doc.get(f"oauth_{key}", base[key])).strip()
        return value.replace("{tenant}", tenant)

    urls = {k: pick(k) for k in ("authorize_url", "token_url", "device_url", "revoke_url")}
    for key, url in urls.items():
        if url and not _secure(url):
            raise ConfigError(
                f"{where}: mail.oauth_{key} must be an https:// address (plain http only on "
                f"this machine), not {url!r}."
            )
    flow = pick("flow").lower()
    if flow not in LOGIN_FLOWS:
        raise ConfigError(f"{where}: mail.oauth_flow must be one of {', '.join(LOGIN_FLOWS)}.")
    return auth, OAuth(
        provider=provider,
        client_id=pick("client_id"),
        client_secret=pick("client_secret"),
        scopes=" ".join(pick("scopes").split()),
        flow=flow,
        token_file=str(doc.get("token_file", "")).strip(),
        **urls,
    )


def check_ready(oauth: OAuth, where: str = "mail") -> None:
    """A ConfigError naming the missing setting before any sign-in is tried."""
    if not oauth.client_id:
        raise ConfigError(
            f"{where}.oauth_client_id is empty: register jobnudge with {oauth.label} (a few "
            "minutes, see docs/mail.md, 'Your own client id') and set the id it gives you."
        )
    if not oauth.token_url:
        raise ConfigError(f"{where}.oauth_token_url is empty: give the provider's token address.")
    if oauth.flow == "device" and not oauth.device_url:
        raise ConfigError(
            f"{where}.oauth_device_url is empty, so the device-code sign-in cannot be used; "
            f'set it, or set {where}.oauth_flow = "browser".'
        )
    if oauth.flow == "browser" and not oauth.authorize_url:
        raise ConfigError(f"{where}.oauth_authorize_url is empty: the browser sign-in needs it.")
