"""Reversing a pattern once for many objects gives what `reverse` gives each time."""

import pytest
from django.urls import reverse
from django.utils import translation

from videocreator.reversing import reverser


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("videos:post_detail", (12, 345)),
        ("videos:comment_delete", (7, 1)),
        ("videos:comment_resolve", (987654321012345, 3)),  # the placeholder itself
        ("videos:mention_candidates", (42,)),
    ],
)
def test_the_same_addresses_as_reverse(name, args):
    assert reverser(name, len(args))(*args) == reverse(name, args=args)


def test_every_id_gets_its_own_address():
    address = reverser("videos:post_detail", 2)
    assert [address(1, n) for n in (1, 22, 333)] == [
        reverse("videos:post_detail", args=[1, n]) for n in (1, 22, 333)
    ]
    with translation.override("ja"):
        assert reverser("videos:post_detail", 2)(5, 6) == reverse("videos:post_detail", args=[5, 6])


def test_a_wrong_arity_is_refused():
    with pytest.raises(ValueError):
        reverser("videos:post_detail", 0)
