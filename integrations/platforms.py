"""Each platform's OAuth 2 authorization-code dialect: the authorize link, the code exchange,
the refresh, and who the connected account is.

URLs, client ids and secrets come from `settings.SOCIAL_PLATFORMS`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone

from . import messages
from .http import AUTH, PERMANENT, PlatformError, json_of, send
from .models import Platform


@dataclass
class Tokens:
    access_token: str
    refresh_token: str = ""
    expires_in: int | None = None
    scope: str = ""

    @property
    def expires_at(self) -> dt.datetime | None:
        if not self.expires_in:
            return None
        return timezone.now() + dt.timedelta(seconds=int(self.expires_in))


@dataclass
class Identity:
    """One account the authorization gave us (a user may grant several Pages)."""

    external_id: str
    name: str
    handle: str = ""
    tokens: Tokens | None = None  # when the account has tokens of its own (a Page's)
    extra: dict[str, Any] = field(default_factory=dict)


def _tokens(data: dict[str, Any]) -> Tokens:
    if not data.get("access_token"):
        raise PlatformError(PERMANENT, messages.NO_ACCESS_TOKEN)
    return Tokens(
        access_token=data["access_token"],
        refresh_token=data.get("refresh_token", ""),
        expires_in=data.get("expires_in"),
        scope=data.get("scope", ""),
    )


def _refused_grant(error: PlatformError) -> PlatformError:
    """A refused refresh token (invalid_grant) means reconnecting, whatever the status."""
    if error.status in (400, 401) and error.kind == PERMANENT:
        return PlatformError(AUTH, error.message, status=error.status)
    return error


class OAuthPlatform:
    key: str
    scopes: tuple[str, ...] = ()
    scope_separator = " "
    pkce = True
    client_id_param = "client_id"
    can_refresh = True

    @property
    def config(self) -> dict[str, str]:
        return settings.SOCIAL_PLATFORMS[self.key]

    @property
    def is_configured(self) -> bool:
        return bool(self.config.get("client_id") and self.config.get("client_secret"))

    @property
    def api_base(self) -> str:
        return self.config["api_base"].rstrip("/")

    def authorize_params(self, *, state: str, redirect_uri: str, challenge: str) -> dict:
        params = {
            self.client_id_param: self.config["client_id"],
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": self.scope_separator.join(self.scopes),
            "state": state,
        }
        if self.pkce:
            params.update(code_challenge=challenge, code_challenge_method="S256")
        return params

    def exchange(self, *, code: str, redirect_uri: str, verifier: str) -> Tokens:
        raise NotImplementedError

    def refresh(self, refresh_token: str) -> Tokens:
        try:
            return self._token({"grant_type": "refresh_token", "refresh_token": refresh_token})
        except PlatformError as error:
            raise _refused_grant(error) from error

    def _token(self, form: dict) -> Tokens:
        """A request to the platform's token endpoint (the platforms that refresh say how)."""
        raise NotImplementedError

    def identities(self, tokens: Tokens) -> list[Identity]:
        raise NotImplementedError

    def _form_token_request(self, url: str, form: dict, **kwargs: Any) -> Tokens:
        response = send("POST", url, data=form, expect=(200,), **kwargs)
        data = json_of(response)
        if "error" in data and not data.get("access_token"):
            raise PlatformError(AUTH, str(data.get("error_description") or data["error"]))
        return _tokens(data.get("data") if isinstance(data.get("data"), dict) else data)


class YouTube(OAuthPlatform):
    key = Platform.YOUTUBE
    scopes = (
        "https://www.googleapis.com/auth/youtube.upload",
        "https://www.googleapis.com/auth/youtube.readonly",
        # Shares and average view duration for the statistics (optional: without it, None).
        "https://www.googleapis.com/auth/yt-analytics.readonly",
    )

    def authorize_params(self, **kwargs) -> dict:
        # offline + consent: Google returns a refresh token every time.
        return {**super().authorize_params(**kwargs), "access_type": "offline", "prompt": "consent"}

    def exchange(self, *, code: str, redirect_uri: str, verifier: str) -> Tokens:
        return self._form_token_request(
            self.config["token_url"],
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "client_id": self.config["client_id"],
                "client_secret": self.config["client_secret"],
                "code_verifier": verifier,
            },
        )

    def refresh(self, refresh_token: str) -> Tokens:
        try:
            tokens = self._form_token_request(
                self.config["token_url"],
                {
                    "grant_type": "refresh_token",
                    "refresh_token": refresh_token,
                    "client_id": self.config["client_id"],
                    "client_secret": self.config["client_secret"],
                },
            )
        except PlatformError as error:
            raise _refused_grant(error) from error
        tokens.refresh_token = tokens.refresh_token or refresh_token  # Google keeps the old one
        return tokens

    def identities(self, tokens: Tokens) -> list[Identity]:
        response = send(
            "GET",
            f"{self.api_base}/youtube/v3/channels",
            params={"part": "snippet", "mine": "true"},
            headers={"Authorization": f"Bearer {tokens.access_token}"},
        )
        return [
            Identity(
                external_id=item["id"],
                name=item.get("snippet", {}).get("title") or item["id"],
                handle=item.get("snippet", {}).get("customUrl", ""),
            )
            for item in json_of(response).get("items", [])
        ]


class Facebook(OAuthPlatform):
    """Facebook Login; the Pages the person granted are the accounts, with their Page tokens
    (which don't expire while the long-lived user token they came from is valid)."""

    key = Platform.FACEBOOK
    scopes = (
        "pages_show_list",
        "pages_read_engagement",
        "pages_manage_posts",
        "publish_video",
    )
    scope_separator = ","
    pkce = False
    can_refresh = False

    def exchange(self, *, code: str, redirect_uri: str, verifier: str) -> Tokens:
        config = self.config
        short = json_of(
            send(
                "GET",
                f"{self.api_base}/oauth/access_token",
                params={
                    "client_id": config["client_id"],
                    "client_secret": config["client_secret"],
                    "redirect_uri": redirect_uri,
                    "code": code,
                },
            )
        )
        long_lived = json_of(
            send(
                "GET",
                f"{self.api_base}/oauth/access_token",
                params={
                    "grant_type": "fb_exchange_token",
                    "client_id": config["client_id"],
                    "client_secret": config["client_secret"],
                    "fb_exchange_token": _tokens(short).access_token,
                },
            )
        )
        return _tokens(long_lived)

    def _pages(self, tokens: Tokens) -> list[dict[str, Any]]:
        response = send(
            "GET",
            f"{self.api_base}/me/accounts",
            params={
                "fields": "id,name,access_token,instagram_business_account{id,username}",
                "access_token": tokens.access_token,
            },
        )
        return [page for page in json_of(response).get("data", []) if page.get("access_token")]

    def identities(self, tokens: Tokens) -> list[Identity]:
        return [
            Identity(
                external_id=page["id"],
                name=page.get("name") or page["id"],
                tokens=Tokens(access_token=page["access_token"]),
            )
            for page in self._pages(tokens)
        ]


class Instagram(Facebook):
    """Instagram professional accounts, through the Facebook Pages they are linked to."""

    key = Platform.INSTAGRAM
    scopes = (
        "pages_show_list",
        "pages_read_engagement",
        "instagram_basic",
        "instagram_content_publish",
        "instagram_manage_insights",  # Reels' views, shares, saves, watch time
        "business_management",
    )

    def identities(self, tokens: Tokens) -> list[Identity]:
        found = []
        for page in self._pages(tokens):
            account = page.get("instagram_business_account") or {}
            if not account.get("id"):
                continue
            username = account.get("username", "")
            found.append(
                Identity(
                    external_id=account["id"],
                    name=username or account["id"],
                    handle=f"@{username}" if username else "",
                    tokens=Tokens(access_token=page["access_token"]),
                    extra={"page_id": page["id"]},
                )
            )
        return found


class TikTok(OAuthPlatform):
    key = Platform.TIKTOK
    scopes = ("user.info.basic", "video.upload", "video.publish", "video.list")  # list: statistics
    scope_separator = ","
    client_id_param = "client_key"
    pkce = False  # TikTok's web flow has none; PKCE there is for mobile and desktop apps

    def _token(self, form: dict) -> Tokens:
        return self._form_token_request(
            f"{self.api_base}/v2/oauth/token/",
            {
                "client_key": self.config["client_id"],
                "client_secret": self.config["client_secret"],
                **form,
            },
        )

    def exchange(self, *, code: str, redirect_uri: str, verifier: str) -> Tokens:
        return self._token(
            {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        )

    def identities(self, tokens: Tokens) -> list[Identity]:
        response = send(
            "GET",
            f"{self.api_base}/v2/user/info/",
            params={"fields": "open_id,display_name,username"},
            headers={"Authorization": f"Bearer {tokens.access_token}"},
        )
        user = json_of(response).get("data", {}).get("user", {})
        if not user.get("open_id"):
            raise PlatformError(PERMANENT, messages.UNKNOWN_ACCOUNT)
        username = user.get("username", "")
        return [
            Identity(
                external_id=user["open_id"],
                name=user.get("display_name") or username or user["open_id"],
                handle=f"@{username}" if username else "",
            )
        ]


class X(OAuthPlatform):
    key = Platform.X
    scopes = ("tweet.read", "tweet.write", "users.read", "media.write", "offline.access")

    def _token(self, form: dict) -> Tokens:
        # A confidential client authenticates with HTTP Basic.
        return self._form_token_request(
            f"{self.api_base}/2/oauth2/token",
            {"client_id": self.config["client_id"], **form},
            auth=(self.config["client_id"], self.config["client_secret"]),
        )

    def exchange(self, *, code: str, redirect_uri: str, verifier: str) -> Tokens:
        return self._token(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": verifier,
            }
        )

    def identities(self, tokens: Tokens) -> list[Identity]:
        response = send(
            "GET",
            f"{self.api_base}/2/users/me",
            headers={"Authorization": f"Bearer {tokens.access_token}"},
        )
        user = json_of(response).get("data", {})
        return (
            [
                Identity(
                    external_id=user["id"],
                    name=user.get("name") or user.get("username") or user["id"],
                    handle=f"@{user['username']}" if user.get("username") else "",
                )
            ]
            if user.get("id")
            else []
        )


PLATFORMS: dict[str, OAuthPlatform] = {
    platform.key: platform for platform in (YouTube(), Instagram(), TikTok(), Facebook(), X())
}


def platform(key: str) -> OAuthPlatform:
    return PLATFORMS[key]
