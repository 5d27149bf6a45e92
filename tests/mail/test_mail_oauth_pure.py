"""The OAuth settings and SASL strings, without a server."""

from __future__ import annotations

import tomllib

import pytest

from jobnudge import config
from jobnudge.errors import ConfigError
from jobnudge.mail.oauth import oauthbearer, xoauth2
from jobnudge.oauthconfig import check_ready


def mail(text: str) -> config.Mail:
    return config.parse(tomllib.loads("[mail]\n" + text)).mail


def test_the_gmail_and_outlook_presets_choose_oauth() -> None:
    outlook = mail('preset = "outlook"\nusername = "a@outlook.com"')
    assert outlook.auth == "oauth" and outlook.oauth.provider == "microsoft"
    assert outlook.oauth.flow == "device"
    assert outlook.oauth.device_url == (
        "https://login.microsoftonline.com/common/oauth2/v2.0/devicecode"
    )
    assert "offline_access" in outlook.oauth.scope_list
    assert "https://outlook.office.com/IMAP.AccessAsUser.All" in outlook.oauth.scope_list
    gmail = mail('preset = "gmail"\nusername = "a@gmail.com"')
    assert gmail.auth == "oauth" and gmail.oauth.provider == "google"
    assert gmail.oauth.flow == "browser" and gmail.oauth.scopes == "https://mail.google.com/"


def test_a_tenant_and_a_password_login_stay_possible() -> None:
    work = mail('preset = "outlook"\noauth_tenant = "contoso.onmicrosoft.com"')
    assert "/contoso.onmicrosoft.com/oauth2/v2.0/token" in work.oauth.token_url
    assert mail('preset = "gmail"\nauth = "password"').auth == "password"
    assert mail('imap_host = "mail.example.org"').auth == "password"  # any other server


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('auth = "magic"', "mail.auth must be one of password, oauth"),
        ('auth = "oauth"\noauth_provider = "yahoo"', "mail.oauth_provider must be one of"),
        ('preset = "outlook"\noauth_token_url = "http://evil.example/t"', "https://"),
        ('preset = "outlook"\noauth_tenant = "a b"', "mail.oauth_tenant"),
        ('preset = "gmail"\noauth_flow = "fax"', "mail.oauth_flow"),
        ('preset = "gmail"\noauth_client_id = 5', "'mail.oauth_client_id' must be text"),
    ],
)
def test_bad_oauth_settings_are_named(text: str, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        mail(text)
    assert words in caught.value.message


def test_a_missing_client_id_says_how_to_get_one() -> None:
    outlook = mail('preset = "outlook"\nusername = "a@outlook.com"')
    with pytest.raises(ConfigError) as caught:
        check_ready(outlook.oauth)
    assert "mail.oauth_client_id" in caught.value.message
    assert "docs/mail.md" in caught.value.message
    google = mail('preset = "gmail"\noauth_flow = "device"\noauth_client_id = "x"')
    with pytest.raises(ConfigError) as caught:
        check_ready(google.oauth)
    assert "oauth_device_url is empty" in caught.value.message


def test_sasl_initial_responses() -> None:
    assert xoauth2("a@b.example", "T") == "user=a@b.example\x01auth=Bearer T\x01\x01"
    bearer = oauthbearer("a,b=c@x.example", "imap.example", 993, "T")
    assert (
        bearer
        == "n,a=a=2Cb=3Dc@x.example,\x01host=imap.example\x01port=993\x01auth=Bearer T\x01\x01"
    )
