"""What the generated history is made of: where people come from, who they are, how they use
the product and pay for it. Every share and rate the generator draws from is here, so the
history can be tuned in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Seeded accounts are recognised by their address: `.example` is reserved (RFC 2606), so no
# real person can have one. `--reset` removes these accounts and everything of theirs.
EMAIL_DOMAIN = "seed.example"
# Seeded coupons and marketing spend are recognised by these marks.
COUPON_PREFIX = "SEED-"
SPEND_NOTE_PREFIX = "seed_analytics:"
# Browsers that never signed up belong to nobody; their ids carry this prefix and UUID version
# 8 (the product's own ids are version 4), so `--reset` finds exactly them.
VISITOR_ID_PREFIX = 0x5EED5EED
DEFAULT_PASSWORD = "seed-analytics"  # noqa: S105 (a documented demo password)

# How many sign-ups each month brings compared with the month before.
MONTHLY_GROWTH = 0.08
# Browsers that visit and never sign up, per sign-up.
ANONYMOUS_VISITORS_PER_SIGN_UP = 2.0


@dataclass(frozen=True)
class Channel:
    """A way people arrive: the UTM parameters of their landing page, or the site that sent
    them; `spend_per_visit` (minor units of `spend_currency`) for the channels we pay for."""

    key: str
    share: float  # of the visitors
    source: str = ""
    medium: str = ""
    campaigns: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    contents: tuple[str, ...] = ()
    referrers: tuple[str, ...] = ()
    landing_paths: tuple[str, ...] = ("/",)
    spend_label: str = ""
    spend_currency: str = "USD"
    spend_per_visit: int = 0  # 0: not paid for
    # How likely a visitor from here is to sign up, relative to the others.
    sign_up_affinity: float = 1.0


CHANNELS: tuple[Channel, ...] = (
    Channel(
        "google",
        0.24,
        source="google",
        medium="cpc",
        campaigns=("video-maker", "templates", "brand"),
        terms=("video maker", "instagram video template", "tiktok video editor", ""),
        referrers=("www.google.com/",),
        landing_paths=("/", "/templates/", "/billing/pricing/"),
        spend_label="Google Ads",
        spend_per_visit=720,
    ),
    Channel(
        "facebook",
        0.16,
        source="facebook",
        medium="paid_social",
        campaigns=("spring-launch", "retargeting", "creators"),
        contents=("carousel-a", "video-b", "story-c"),
        referrers=("l.facebook.com/", "m.facebook.com/"),
        landing_paths=("/", "/templates/"),
        spend_label="Facebook Ads",
        spend_per_visit=450,
        sign_up_affinity=0.8,
    ),
    Channel(
        "youtube",
        0.08,
        source="youtube",
        medium="video",
        campaigns=("tutorial-preroll", "creator-sponsorship"),
        referrers=("www.youtube.com/",),
        landing_paths=("/", "/templates/"),
        spend_label="YouTube ads and sponsorships",
        spend_per_visit=570,
    ),
    Channel(
        "newsletter",
        0.09,
        source="newsletter",
        medium="email",
        campaigns=("weekly-digest", "product-update", "partner-issue"),
        landing_paths=("/", "/billing/pricing/"),
        spend_label="Newsletter sponsorships",
        spend_currency="EUR",
        spend_per_visit=330,
        sign_up_affinity=1.3,
    ),
    Channel(
        "referral",
        0.11,
        source="referral",
        medium="referral",
        campaigns=("invite-a-friend",),
        referrers=("blog.example.org/best-video-tools", "news.example.com/item", ""),
        sign_up_affinity=1.5,
    ),
    Channel("organic", 0.17, referrers=("www.google.com/", "www.bing.com/", "duckduckgo.com/")),
    Channel("direct", 0.15, sign_up_affinity=1.1),
)
PAID_CHANNELS = tuple(channel for channel in CHANNELS if channel.spend_per_visit)


@dataclass(frozen=True)
class Locale:
    language: str
    share: float
    time_zones: tuple[str, ...]
    names: tuple[str, ...]


LOCALES: tuple[Locale, ...] = (
    Locale(
        "en",
        0.52,
        ("America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London",
         "Australia/Sydney", "America/Toronto"),
        ("james", "olivia", "liam", "emma", "noah", "ava", "mia", "lucas", "grace", "ethan"),
    ),
    Locale("es", 0.09, ("Europe/Madrid", "America/Mexico_City", "America/Bogota"),
           ("lucia", "mateo", "sofia", "diego", "valentina", "pablo")),
    Locale("fr", 0.07, ("Europe/Paris", "America/Montreal"),
           ("camille", "louis", "chloe", "hugo", "manon", "jules")),
    Locale("de", 0.08, ("Europe/Berlin", "Europe/Vienna", "Europe/Zurich"),
           ("lena", "felix", "mia", "jonas", "hannah", "paul")),
    Locale("pt", 0.06, ("America/Sao_Paulo", "Europe/Lisbon"),
           ("ana", "joao", "beatriz", "miguel", "mariana", "tiago")),
    Locale("ja", 0.05, ("Asia/Tokyo",), ("yui", "haruto", "sakura", "ren", "aoi", "sota")),
    Locale("ko", 0.04, ("Asia/Seoul",), ("jiwoo", "minjun", "seoyeon", "hajun", "jiho")),
    Locale("zh-hans", 0.04, ("Asia/Shanghai", "Asia/Singapore"),
           ("wei", "fang", "jing", "lei", "min", "hao")),
    Locale("hi", 0.05, ("Asia/Kolkata",), ("aarav", "ananya", "vihaan", "diya", "arjun")),
)  # fmt: skip
SURNAMES = (
    "smith", "garcia", "martin", "muller", "silva", "sato", "kim", "wang", "sharma", "brown",
    "lopez", "dubois", "schmidt", "santos", "tanaka", "lee", "chen", "patel", "wilson", "moreau",
)  # fmt: skip


def currency_for(time_zone: str) -> str:
    """The currency a person checks out in: pounds in the UK, euros elsewhere in Europe,
    dollars everywhere else (the plans are priced in each)."""
    if time_zone == "Europe/London":
        return "GBP"
    if time_zone.startswith("Europe/") and time_zone != "Europe/Zurich":
        return "EUR"
    return "USD"


@dataclass(frozen=True)
class Behaviour:
    """How a kind of person uses the product after signing up."""

    key: str
    share: float  # of the verified accounts
    mean_lifetime_days: float  # how long they keep coming back
    visits_per_week: float
    video_per_visit: float  # chance a visit makes a video (more may follow, each half as likely)
    upgrade: float  # chance they buy Pro at some point


BEHAVIOURS: tuple[Behaviour, ...] = (
    Behaviour("tourist", 0.38, 2, 1.0, 0.25, 0.005),
    Behaviour("casual", 0.40, 50, 0.6, 0.15, 0.06),
    Behaviour("engaged", 0.22, 250, 0.9, 0.13, 0.32),
)
VERIFIED_SHARE = 0.86
MARKETING_EMAILS_SHARE = 0.3
# A visit after this long without signing in needs a sign-in (the session cookie's two weeks);
# otherwise a sign-in happens with this chance (another device, a signed-out browser).
SESSION_DAYS = 14
SIGN_IN_ANYWAY = 0.2

# Videos: what happens to one once created.
RENDER_SHARE = 0.85
RENDER_FAILURE_SHARE = 0.03
RENDER_ERROR_CODES = ("timeout", "ffmpeg_failed", "font_missing")
SCHEDULE_SHARE = 0.22  # of the rendered videos
SCHEDULE_NOW_SHARE = 0.3
POST_SKIPPED_SHARE = 0.08
PLATFORMS = ("youtube", "instagram", "tiktok", "facebook", "x")
PLATFORM_WEIGHTS = (0.3, 0.28, 0.22, 0.12, 0.08)
FULL_HD_SHARE_ON_PRO = 0.6
PRO_TEMPLATE_SHARE_ON_PRO = 0.35
RENDER_WORKERS = ("worker-1:2211", "worker-2:2214", "worker-3:3107")
TITLES = (
    "Spring sale teaser", "Product launch", "Weekly tips", "Customer story", "Behind the scenes",
    "New arrivals", "How it works", "Quote of the week", "Team intro", "Year in numbers",
    "Flash sale", "Event recap", "Tutorial part 1", "Holiday greetings", "Feature spotlight",
)  # fmt: skip
CAPTIONS = ("#launch", "New this week!", "Link in bio", "#tips #howto", "Out now", "")

# Buying Pro.
ANNUAL_SHARE = 0.25
EARLY_UPGRADE_SHARE = 0.4  # of the buyers, within their first two weeks
CHECKOUT_DECLINED_SHARE = 0.06  # a first attempt whose card is declined
ABANDONED_CHECKOUT_SHARE = 0.05  # of those who never buy: a checkout started, never paid


@dataclass(frozen=True)
class SeedCoupon:
    code: str
    name: str
    share: float  # of the checkouts that use it
    duration: str
    percent_off: int | None = None
    amount_off: int | None = None
    currency: str = ""
    duration_months: int | None = None


COUPONS: tuple[SeedCoupon, ...] = (
    SeedCoupon("SEED-WELCOME50", "Half off the first invoice", 0.14, "once", percent_off=50),
    SeedCoupon(
        "SEED-LAUNCH25", "A quarter off three invoices", 0.12, "repeating", percent_off=25,
        duration_months=3,
    ),
    SeedCoupon("SEED-FRIENDS10", "Ten percent off for good", 0.07, "forever", percent_off=10),
    SeedCoupon(
        "SEED-AGENCY2", "Two dollars off every invoice", 0.04, "forever", amount_off=200,
        currency="USD",
    ),
)  # fmt: skip

# While subscribed, per billing period (a month; a year for annual plans).
CANCEL_PER_MONTH = 0.035
CANCEL_PER_YEAR = 0.22
RESUME_SHARE = 0.2  # of the cancellations, undone before the period ends
SWITCH_TO_ANNUAL_PER_MONTH = 0.025
SWITCH_TO_MONTHLY_PER_YEAR = 0.06
CARD_DECLINES_PER_PERIOD = 0.03
CARD_FIXED_SHARE = 0.55  # of the declined renewals, recovered before the last retry
REFUND_SHARE = 0.015  # of the payments
PARTIAL_REFUND_SHARE = 0.3  # of the refunds: half the amount
CANCEL_WHEN_LEAVING = 0.5  # people who stop using the product cancel with this chance
REACTIVATION_SHARE = 0.15  # of the churned, who come back and buy again
REACTIVATION_MEAN_DAYS = 75
DECLINED_REASON = "Your card was declined (sandbox)."

# The exchange rates generated for every day (units per euro), where they hover.
FX_CENTRES = {"USD": 1.10, "GBP": 0.86}
FX_DAILY_VOLATILITY = 0.004
FX_MEAN_REVERSION = 0.01


@dataclass(frozen=True)
class Storyline:
    """A scripted subscription for one of the first buyers (periods and renewals counted from
    the checkout: period 0 is the first)."""

    name: str
    plan: str
    coupon: str | None = None
    declined_checkout: bool = False
    switch_in_period: int | None = None
    cancel_in_period: int | None = None
    resume: bool = False
    declined_renewal: int | None = None
    fixed_before_retry: int | None = None  # None: never fixed, the plan ends on Free
    refund: bool = False  # half of the latest payment
    returns_after_days: float | None = None


STORYLINES: tuple[Storyline, ...] = (
    Storyline("monthly with a coupon for three invoices, switches to annual, half refunded",
              "pro-monthly", coupon="SEED-LAUNCH25", switch_in_period=1, refund=True),
    Storyline("annual, ten percent off for good, switches to monthly: unused time credited",
              "pro-annual", coupon="SEED-FRIENDS10", switch_in_period=0),
    Storyline("a declined renewal, the card fixed before the second retry", "pro-monthly",
              declined_renewal=1, fixed_before_retry=1),
    Storyline("half off once, a declined renewal never fixed, back twenty days later",
              "pro-monthly", coupon="SEED-WELCOME50", declined_renewal=1, returns_after_days=20),
    Storyline("cancels, then changes their mind", "pro-monthly", cancel_in_period=0, resume=True),
    Storyline("cancels in the second month", "pro-monthly", cancel_in_period=1),
    Storyline("annual, after a declined card at checkout", "pro-annual", declined_checkout=True),
)  # fmt: skip
# A storyline goes to a buyer with at least this much history left before today.
STORYLINE_ROOM = dt.timedelta(days=100)
