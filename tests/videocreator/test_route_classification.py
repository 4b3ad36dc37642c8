"""Every URL route is in the permission matrix (tests/videocreator/route_table.py): a new
route without a check fails here."""

from __future__ import annotations

from tests.videocreator.route_table import (
    MAPPING,
    NAMED,
    OBJECT_ROUTES,
    ROUTES,
    SIGNED_IN_OBJECTS,
    STAFF_ONLY,
    USER_LEVEL,
    allowlisted,
)


def test_every_route_is_classified():
    unknown = sorted(
        {
            route.key
            for route in ROUTES
            if not allowlisted(route)
            and route.key not in USER_LEVEL
            and route.key not in MAPPING
            and route.key not in STAFF_ONLY
            and route.key not in SIGNED_IN_OBJECTS
        }
    )
    assert not unknown, (
        "Routes with no permission classification; add each to MAPPING (object routes: the "
        "action the role matrix needs), USER_LEVEL, STAFF_ONLY, or ALLOWLIST (with a reason):\n  "
        + "\n  ".join(f"{name}  ({NAMED[name].route})" for name in unknown)
    )
    known = set(MAPPING) | set(USER_LEVEL) | set(STAFF_ONLY) | set(SIGNED_IN_OBJECTS)
    stale = sorted(known - set(NAMED))
    assert not stale, f"MAPPING/USER_LEVEL/STAFF_ONLY name routes that no longer exist: {stale}"


def test_object_routes_carry_an_id():
    """An object route names its object in the path, or (API lists) in ?workspace=/the body."""
    for route in OBJECT_ROUTES:
        if not route.name.startswith("api:") and route.name != "teams:switch":
            assert route.converters, f"{route.name} has no path converter: USER_LEVEL?"
