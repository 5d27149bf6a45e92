"""A small real OAuth 2.0 issuer on 127.0.0.1 for the mail tests and the benchmark.

It speaks HTTP like Microsoft's and Google's: device authorization (RFC 8628), the code flow
with PKCE S256 (RFC 7636, consent given at once for :attr:`Issuer.consent_as`), refresh tokens,
introspection (RFC 7662, what Dovecot's oauth2 passdb and the SMTP server ask) and revocation
(RFC 7009). Tests change its state through HTTP (``/device/approve``) or its methods
(:meth:`expire_access`, :meth:`revoke_user`), and read what it was asked (:attr:`grants`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

CLIENT_ID = "jobnudge-test-client"
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


@dataclass
class _State:
    lifetime: int = 3600  # expires_in of every access token
    consent_as: str = ""  # who the browser flow signs in (the user "clicks Allow")
    device: dict[str, dict[str, Any]] = field(default_factory=dict)  # device_code -> grant
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)  # auth code -> grant
    refresh: dict[str, str] = field(default_factory=dict)  # refresh token -> user
    access: dict[str, str] = field(default_factory=dict)  # live access token -> user
    grants: Counter[str] = field(default_factory=Counter)  # grant_type -> times asked
    introspected: int = 0


class Issuer:
    def __init__(self) -> None:
        self.state = _State()
        self.lock = threading.Lock()
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def _form(self) -> dict[str, str]:
                size = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(size).decode()
                return {k: v[0] for k, v in parse_qs(body).items()}

            def _json(self, status: int, doc: dict[str, Any]) -> None:
                data = json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if parts.path == "/authorize":
                    self._authorize(query)
                elif parts.path == "/device/approve":
                    ok = issuer.approve(query.get("user_code", ""), query.get("user", ""))
                    self._json(200 if ok else 404, {"approved": ok})
                else:
                    self._json(404, {"error": "not_found"})

            def do_POST(self) -> None:
                form = self._form()
                path = urlsplit(self.path).path
                with issuer.lock:
                    if path == "/devicecode":
                        status, doc = issuer._device_start(form, self.headers["Host"])
                    elif path == "/token":
                        status, doc = issuer._token(form)
                    elif path == "/introspect":
                        status, doc = issuer._introspect(form)
                    elif path == "/revoke":
                        status, doc = issuer._revoke(form)
                    else:
                        status, doc = 404, {"error": "not_found"}
                self._json(status, doc)

            def _authorize(self, query: dict[str, str]) -> None:
                with issuer.lock:
                    user = issuer.state.consent_as
                    target = query.get("redirect_uri", "")
                    if query.get("client_id") != CLIENT_ID or not target.startswith(
                        ("http://127.0.0.1:", "http://127.0.0.1/")
                    ):
                        self._json(400, {"error": "invalid_request"})
                        return
                    if query.get("code_challenge_method") != "S256" or not user:
                        answer = {"error": "access_denied", "state": query.get("state", "")}
                    else:
                        code = secrets.token_urlsafe(16)
                        issuer.state.codes[code] = {
                            "user": user,
                            "challenge": query.get("code_challenge", ""),
                            "redirect_uri": target,
                        }
                        answer = {"code": code, "state": query.get("state", "")}
                self.send_response(302)
                self.send_header("Location", f"{target}?{urlencode(answer)}")
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # -- the endpoints -------------------------------------------------------------------------

    def _issue(self, user: str) -> dict[str, Any]:
        access = "at-" + secrets.token_urlsafe(24)
        refresh = "rt-" + secrets.token_urlsafe(24)
        self.state.access[access] = user
        self.state.refresh[refresh] = user
        return {
            "token_type": "Bearer",
            "access_token": access,
            "refresh_token": refresh,
            "expires_in": self.state.lifetime,
            "scope": "mail",
        }

    def _device_start(self, form: dict[str, str], host: str) -> tuple[int, dict[str, Any]]:
        if form.get("client_id") != CLIENT_ID:
            return 400, {"error": "invalid_client", "error_description": "unknown client"}
        device_code = secrets.token_urlsafe(16)
        user_code = secrets.token_hex(4).upper()
        self.state.device[device_code] = {"user_code": user_code, "user": None}
        return 200, {
            "device_code": device_code,
            "user_code": user_code,
            "verification_uri": f"http://{host}/device",
            "expires_in": 60,
            "interval": 0.05,
        }

    def approve(self, user_code: str, user: str) -> bool:
        with self.lock:
            for grant in self.state.device.values():
                if grant["user_code"] == user_code:
                    grant["user"] = user
                    return True
        return False

    def _token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        kind = form.get("grant_type", "")
        self.state.grants[kind] += 1
        if form.get("client_id") != CLIENT_ID:
            return 401, {"error": "invalid_client"}
        if kind == DEVICE_GRANT:
            grant = self.state.device.get(form.get("device_code", ""))
            if grant is None:
                return 400, {"error": "expired_token"}
            if grant["user"] is None:
                return 400, {"error": "authorization_pending"}
            del self.state.device[form["device_code"]]
            return 200, self._issue(grant["user"])
        if kind == "authorization_code":
            grant = self.state.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            digest = hashlib.sha256(verifier.encode()).digest()
            challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if grant is None or grant["challenge"] != challenge:
                return 400, {"error": "invalid_grant", "error_description": "bad code or PKCE"}
            if grant["redirect_uri"] != form.get("redirect_uri"):
                return 400, {"error": "invalid_grant", "error_description": "redirect_uri"}
            return 200, self._issue(grant["user"])
        if kind == "refresh_token":
            user = self.state.refresh.pop(form.get("refresh_token", ""), None)  # rotated
            if user is None:
                return 400, {"error": "invalid_grant", "error_description": "token revoked"}
            return 200, self._issue(user)
        return 400, {"error": "unsupported_grant_type"}

    def _introspect(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        self.state.introspected += 1
        user = self.state.access.get(form.get("token", ""))
        if user is None:
            return 200, {"active": False}
        return 200, {"active": True, "username": user, "scope": "mail"}

    def _revoke(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        user = self.state.refresh.pop(form.get("token", ""), None)
        if user is not None:
            self._drop_access(user)
        return 200, {}

    def _drop_access(self, user: str) -> None:
        for token in [t for t, u in self.state.access.items() if u == user]:
            del self.state.access[token]

    # -- what tests do -------------------------------------------------------------------------

    def check(self, token: str) -> str | None:
        """The user an access token belongs to, or None (the SMTP server's question)."""
        with self.lock:
            self.state.introspected += 1
            return self.state.access.get(token)

    def expire_access(self, user: str) -> None:
        """Every access token of ``user`` stops working early (their refresh tokens still do)."""
        with self.lock:
            self._drop_access(user)

    def revoke_user(self, user: str) -> None:
        """The user withdrew jobnudge's access at the provider: no token of theirs works."""
        with self.lock:
            self._drop_access(user)
            for token in [t for t, u in self.state.refresh.items() if u == user]:
                del self.state.refresh[token]

    def live_refresh_tokens(self, user: str) -> list[str]:
        with self.lock:
            return [t for t, u in self.state.refresh.items() if u == user]

    def start(self) -> Issuer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)
