from django import template

from billing.money import format_money

register = template.Library()


@register.simple_tag
def money(amount: int, currency: str) -> str:
    """{% money invoice.total invoice.currency %} in the active language's format."""
    return format_money(amount, currency)
