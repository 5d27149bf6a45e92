"""Mail domains that say nothing about an employer: personal mailbox providers. An address at
one of them is a person's, never a company's, so neither mail matching nor calendar
invitations infer a company from it."""

from __future__ import annotations

PUBLIC_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "ymail.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.net",
        "gmx.de",
        "web.de",
        "mail.com",
        "zoho.com",
        "fastmail.com",
        "yandex.com",
        "qq.com",
    }
)
