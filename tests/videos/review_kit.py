"""Helpers for the review tests (test_review_*.py): many threads on a version, made fast."""

from __future__ import annotations

import itertools
import json
import re
from collections import defaultdict
from datetime import timedelta
from html import unescape
from html.parser import HTMLParser
from typing import NamedTuple

from django.utils import timezone

from teams.models import Comment, CommentMention

# Thread shapes: for each reply, the index of its parent within the thread (0 is the root).
SHAPES = [
    [0, 1, 2, 3],  # a chain four deep
    [0, 0, 0, 0],  # four direct replies
    [0, 1, 0, 3],  # two short branches
]


def bulk_threads(version, people: list, total: int) -> dict:
    """`total` comments on `version`: threads of five (a root and four replies in one of the
    shapes), every third comment mentioning someone, every fourth thread resolved, a few
    deleted placeholders. Made with bulk_create: the service would take minutes for 500."""
    workspace = version.video.workspace
    start = timezone.now() - timedelta(days=1)
    ticks = itertools.count()
    length_ms = round(version.duration * 1000)
    nodes: list[dict] = []
    for t in range(total // 5):
        shape = SHAPES[t % len(SHAPES)]
        root = {"thread": t, "parent": None, "depth": 0}
        thread_nodes = [root]
        for parent_index in shape:
            parent = thread_nodes[parent_index]
            thread_nodes.append({"thread": t, "parent": parent, "depth": parent["depth"] + 1})
        nodes.extend(thread_nodes)
    mentioned = 0
    for depth in range(5):  # parents exist before their replies: one bulk insert per depth
        level = [node for node in nodes if node["depth"] == depth]
        rows = []
        for node in level:
            n = next(ticks)
            author = people[n % len(people)]
            target = people[(n + 1) % len(people)]
            text = f"Comment {n}"
            if n % 3 == 0:
                text = f"@{target.display_name} please check comment {n}"
            root = node if node["parent"] is None else root_of(node)
            resolved = node["parent"] is None and node["thread"] % 4 == 0
            deleted = depth == 1 and node["thread"] % 10 == 5
            time_ms = (node["thread"] * 997) % length_ms
            rows.append(
                Comment(
                    workspace=workspace,
                    version=version,
                    parent=node["parent"]["row"] if node["parent"] else None,
                    thread=root["row"] if node["parent"] else None,
                    author=author,
                    text="" if deleted else text,
                    time_ms=time_ms,
                    end_ms=time_ms + 500 if node["parent"] is None and node["thread"] % 2 else None,
                    created_at=start + timedelta(seconds=n),
                    resolved_at=start if resolved else None,
                    resolved_by=people[0] if resolved else None,
                    deleted_at=start if deleted else None,
                )
            )
            node["mention"] = target if n % 3 == 0 and not deleted else None
        created = Comment.objects.bulk_create(rows)
        for node, row in zip(level, created, strict=True):
            node["row"] = row
        mentions = [
            CommentMention(comment=node["row"], user=node["mention"])
            for node in level
            if node["mention"] is not None
        ]
        CommentMention.objects.bulk_create(mentions)
        mentioned += len(mentions)
    assert all(node["row"].pk for node in nodes)
    return {"comments": len(nodes), "threads": total // 5, "mentions": mentioned}


def root_of(node: dict) -> dict:
    while node["parent"] is not None:
        node = node["parent"]
    return node


class Row(NamedTuple):
    id: int
    depth: int
    thread: int


def reading_order(version, *, hide_resolved: bool = False) -> list[Row]:
    """Every comment of `version` in reading order, worked out the slow way from all its rows:
    threads by (time_ms, created_at, id), replies depth-first, oldest first. What the page's
    chunks and the API's pages must add up to."""
    rows = Comment.objects.filter(version=version).values(
        "id", "parent_id", "time_ms", "created_at", "resolved_at"
    )
    children: dict[int | None, list[dict]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r["created_at"], r["id"])):
        children[row["parent_id"]].append(row)
    order: list[Row] = []

    def walk(row: dict, depth: int, thread: int) -> None:
        order.append(Row(row["id"], depth, thread))
        for child in children[row["id"]]:
            walk(child, depth + 1, thread)

    for root in sorted(children[None], key=lambda r: (r["time_ms"], r["created_at"], r["id"])):
        if not (hide_resolved and root["resolved_at"]):
            walk(root, 0, root["id"])
    return order


def threads_in(order: list[Row]) -> list[int]:
    """The threads' first comments' ids, in order."""
    return [row.id for row in order if row.depth == 0]


MARKERS_URL = re.compile(r'class="comment-timeline"[^>]* data-markers-url="([^"]+)"')


def markers_on(client, html: str) -> list[list]:
    """The timeline's markers of a review page, as review.js gets them: from the address the
    page gives (data-markers-url), [thread, time_ms, end_ms, resolved] per thread, in reading
    order."""
    found = MARKERS_URL.findall(html)
    assert len(found) == 1, f"{len(found)} marker addresses on the page"
    response = client.get(unescape(found[0]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


class CommentActions(HTMLParser):
    """What a browser would submit from a review page's comment buttons: the fields of the one
    #comment-action form (`fields`, `forms` counts such forms) and every button that submits
    it (`buttons`: their attributes), wherever they are on the page."""

    def __init__(self, html: str):
        super().__init__()
        self.fields: dict[str, str] = {}
        self.buttons: list[dict[str, str]] = []
        self.forms = 0
        self._inside = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form" and attributes.get("id") == "comment-action":
            self.forms += 1
            self._inside = True
        elif tag == "input" and self._inside:
            self.fields[attributes["name"]] = attributes.get("value", "")
        elif tag == "button" and attributes.get("form") == "comment-action":
            self.buttons.append(attributes)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False

    def button(self, formaction: str) -> dict[str, str]:
        (found,) = [b for b in self.buttons if b["formaction"] == formaction]
        return found

    def submission(self, button: dict[str, str]) -> dict[str, str]:
        """The form's fields with the clicked button's name and value, as the browser sends."""
        return {**self.fields, button["name"]: button["value"]}
