"""Money is integer minor units plus a currency code; this turns it into localized text."""

from decimal import Decimal

from babel.numbers import format_currency, get_currency_precision
from django.utils import translation
from django.utils.translation import to_locale

# The currency a visitor sees first on the pricing page, by interface language.
DEFAULT_CURRENCY_BY_LANGUAGE = {
    "en": "USD",
    "es": "EUR",
    "fr": "EUR",
    "de": "EUR",
    "pt": "BRL",
    "ja": "JPY",
    "ko": "KRW",
    "zh-hans": "CNY",
    "hi": "INR",
}


def minor_to_decimal(amount: int, currency: str) -> Decimal:
    return Decimal(amount).scaleb(-get_currency_precision(currency))


def format_money(amount: int, currency: str, language: str | None = None) -> str:
    """1200 USD → '$12.00' in English, '12,00 $' in German; 1800 JPY → '￥1,800' in Japanese."""
    language = language or translation.get_language() or "en"
    return format_currency(minor_to_decimal(amount, currency), currency, locale=to_locale(language))


def default_currency(language: str | None = None) -> str:
    return DEFAULT_CURRENCY_BY_LANGUAGE.get(language or translation.get_language() or "en", "USD")


def currency_choices(language: str | None = None) -> list[tuple[str, str]]:
    """("EUR", "EUR — Euro") in the active language, for the currency picker."""
    from babel.numbers import get_currency_name

    from .models import CURRENCIES

    locale = to_locale(language or translation.get_language() or "en")
    return [(code, f"{code} — {get_currency_name(code, locale=locale)}") for code in CURRENCIES]
