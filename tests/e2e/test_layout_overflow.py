"""The main pages at a phone's width (390 px) and a laptop's (1280 px): nothing wider than the
window, every header link reachable without scrolling sideways, the laptop's header on one row
with the workspace's whole name, and cards in a grid level with each other."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.models import ConnectedAccount
from teams.models import Membership, Role
from teams.services.review import comment_create
from tests.e2e.conftest import choose_workspace, new_page, sign_in
from tests.factories import UserFactory
from tests.videos.conftest import add_version, first_version
from videos.publishing.services import schedule_create

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
# One row of header: the 44 px touch targets and the header's padding, with room to spare.
ONE_ROW_HEADER_PX = 80
WORKSPACE = "Northwind Creative Studio"

# What the browser measures on each page.
MEASURE = """() => {
  const width = window.innerWidth;
  // Inside a scroller, unless positioned against something outside it.
  const clipped = (el) => {
    let free = /absolute|fixed/.test(getComputedStyle(el).position);
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (free && style.position === "static") continue;
      if (style.overflowX !== "visible") return true;
      free = /absolute|fixed/.test(style.position);
    }
    return false;
  };
  const wide = [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 0.5)
    .filter((el) => !clipped(el))
    .slice(0, 5)
    .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`);
  const offNav = [...document.querySelectorAll(".main-nav a")]
    .filter((a) => {
      const box = a.getBoundingClientRect();
      return box.left < 0 || box.right > width + 0.5;
    })
    .map((a) => a.textContent.trim());
  const header = document.querySelector(".site-header");
  const select = document.querySelector("#workspace-select");
  let nameFits = true;
  if (select) {
    const probe = document.createElement("span");
    probe.style.font = getComputedStyle(select).font;
    probe.style.position = "absolute";
    probe.style.whiteSpace = "pre";
    probe.textContent = select.options[select.selectedIndex].text;
    document.body.append(probe);
    nameFits = select.clientWidth >= probe.getBoundingClientRect().width + 16;
    probe.remove();
  }
  const pushedCards = [...document.querySelectorAll(".card")]
    .filter((card) => /grid|flex/.test(getComputedStyle(card.parentElement).display))
    .filter((card) => parseFloat(getComputedStyle(card).marginTop) > 0)
    .map((card) => `${card.parentElement.className} > .${[...card.classList].join(".")}`);
  return {
    scrollWidth: document.documentElement.scrollWidth, width, wide, offNav,
    headerHeight: header ? header.getBoundingClientRect().height : 0, nameFits,
    pushedCards: [...new Set(pushedCards)],
  };
}"""


@pytest.fixture
def studio(workspace, owner, ready_video, settings):
    """A workspace with a long-ish name, a video with three versions under review, a brand
    kit, a connected account and a scheduled post; `owner` is signed in there."""
    workspace.name = WORKSPACE
    workspace.save(update_fields=["name"])
    video = ready_video(title="Spring launch teaser for the new collection")
    first = first_version(video, owner)
    add_version(video, owner)
    third = add_version(video, owner)
    video.current_version = third
    video.save(update_fields=["current_version"])
    editor = UserFactory(email="edith@example.com", name="Edith Editor")
    Membership.objects.create(team=workspace, user=editor, role=Role.EDITOR)
    comment_create(version=third, author=editor, text="The logo is too small here.", time_ms=1500)
    comment_create(version=first, author=owner, text="@Edith Editor first cut", time_ms=500)
    account = ConnectedAccount.objects.create(
        workspace=workspace,
        platform="x",
        external_id="42",
        name="Northwind",
        handle="@northwind",
        access_token="x-access",
        refresh_token="x-refresh",
        expires_at=timezone.now() + dt.timedelta(hours=2),
    )
    schedule = schedule_create(
        video=video,
        actor=owner,
        platforms=[{"platform": "x", "account": account.pk, "caption": "Launch day!"}],
        publish_at=timezone.now() + dt.timedelta(days=1),
    )
    return {"video": video, "schedule": schedule, "template": video.template}


def _signed_in_pages(studio) -> list[str]:
    video, schedule = studio["video"], studio["schedule"]
    return [
        reverse("dashboard"),
        reverse("videos:list"),
        reverse("videos:detail", args=[video.pk]),
        reverse("videos:edit", args=[video.pk]),
        reverse("videos:history", args=[video.pk]),
        reverse("videos:version", args=[video.pk, 3]),
        reverse("videos:compare", args=[video.pk]) + "?a=1&b=3",
        reverse("videos:templates"),
        reverse("videos:template", args=[studio["template"].key]),
        reverse("videos:schedule") + "?view=month",
        reverse("videos:schedule") + "?view=week",
        reverse("videos:schedule") + "?view=list",
        reverse("videos:schedule_new", args=[video.pk]),
        reverse("videos:schedule_detail", args=[schedule.pk]),
        reverse("videos:brand_kits"),
        reverse("videos:exports"),
        reverse("billing:page"),
        reverse("billing:pricing"),
        reverse("teams:team"),
        reverse("teams:notifications"),
        reverse("teams:notification_preferences"),
        reverse("accounts:profile"),
        reverse("accounts:api_tokens"),
        reverse("integrations:accounts"),
        reverse("creators:dashboard"),
    ]


PUBLIC_PAGES = ["home", "billing:pricing", "account_login", "account_signup"]


def _problems(page, base: str, paths: list[str], viewport: dict) -> list[str]:
    page.set_viewport_size(viewport)
    found = []
    for path in paths:
        response = page.goto(base + path)
        assert response is not None and response.status == 200, (path, response and response.status)
        seen = page.evaluate(MEASURE)
        where = f"{path} at {viewport['width']} px"
        if seen["scrollWidth"] > seen["width"]:
            found.append(f"{where}: {seen['scrollWidth']} px wide, e.g. {seen['wide']}")
        if seen["offNav"]:
            found.append(f"{where}: header links off screen: {seen['offNav']}")
        if seen["pushedCards"]:
            found.append(f"{where}: cards pushed down in a grid: {seen['pushedCards']}")
        if viewport is LAPTOP and seen["headerHeight"] > ONE_ROW_HEADER_PX:
            found.append(f"{where}: the header is {seen['headerHeight']} px high (two rows)")
        if viewport is LAPTOP and not seen["nameFits"]:
            found.append(f"{where}: the workspace's name is cut short in the header")
    return found


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_main_pages_fit_a_phone_and_a_laptop(live_server, browser, workspace, owner, studio):
    base = live_server.url
    visitor = new_page(browser)
    member = new_page(browser)
    sign_in(member, base, owner.email)
    choose_workspace(member, workspace.pk)
    problems = []
    for viewport in (PHONE, LAPTOP):
        problems += _problems(visitor, base, [reverse(n) for n in PUBLIC_PAGES], viewport)
        problems += _problems(member, base, _signed_in_pages(studio), viewport)
    assert problems == [], "\n".join(problems)
