"""Publishing to a Facebook Page against a local Graph API: the resumable transfer the
server steers by offsets, and a retry after finishing."""

from __future__ import annotations

from integrations.publishers import Published
from integrations.publishers.facebook import FacebookPublisher
from tests.integrations.conftest import (
    CAPTION,
    PAGE,
    TITLE,
    account_for,
    calls_to,
    json_response,
    media_of,
    post_content,
    random_bytes,
    recorded_progress,
    unreadable_media,
)

FB_VIDEO = "861234567890123"
FB_SESSION = "2257170584387212"


def test_facebook_transfers_what_the_server_asks_for_then_finishes(server):
    payload = random_bytes(300_000)
    stored = bytearray()
    transfers: list[tuple[int, int]] = []
    problems: list[str] = []
    progress, saved = recorded_progress()
    saved_at_finish: list = []

    def videos(request):
        form = request.form.to_dict()
        phase = form.get("upload_phase")
        if form.get("access_token") != "tok":
            problems.append(f"no token in {phase}")
        if phase == "start":
            return json_response(
                {
                    "video_id": FB_VIDEO,
                    "upload_session_id": FB_SESSION,
                    "start_offset": "0",
                    "end_offset": "120000",
                }
            )
        if form.get("upload_session_id") != FB_SESSION:
            problems.append(f"{phase} without the session")
        if phase == "transfer":
            chunk = request.files["video_file_chunk"].read()
            start = int(form["start_offset"])
            transfers.append((start, len(chunk)))
            if start != len(stored):
                problems.append(f"transfer at {start} after {len(stored)}")
                return json_response({"error": {"message": "bad offset", "code": 100}}, status=400)
            stored.extend(chunk[:100_000] if len(transfers) == 1 else chunk)
            next_start = len(stored)
            return json_response(
                {
                    "start_offset": str(next_start),
                    "end_offset": str(min(next_start + 120_000, len(payload))),
                }
            )
        saved_at_finish.extend(saved[-1:])
        return json_response({"success": True})

    server.expect_request(f"/v21.0/{PAGE}/videos", method="POST").respond_with_handler(videos)

    result = FacebookPublisher().publish(
        account=account_for("facebook", PAGE),
        token="tok",
        media=media_of(payload),
        content=post_content(),
        progress=progress,
    )

    assert result == Published(FB_VIDEO, f"https://www.facebook.com/{PAGE}/videos/{FB_VIDEO}")
    assert problems == []
    assert transfers == [(0, 120_000), (100_000, 120_000), (220_000, 80_000)]
    assert bytes(stored) == payload
    forms = [r.form.to_dict() for r, _ in server.log]
    assert [f["upload_phase"] for f in forms] == [
        "start",
        "transfer",
        "transfer",
        "transfer",
        "finish",
    ]
    assert forms[0] == {"upload_phase": "start", "file_size": "300000", "access_token": "tok"}
    assert forms[-1] == {
        "upload_phase": "finish",
        "upload_session_id": FB_SESSION,
        "title": TITLE,
        "description": CAPTION,
        "access_token": "tok",
    }
    assert saved[0] == {"session": FB_SESSION, "video_id": FB_VIDEO, "start": 0, "end": 120_000}
    assert saved_at_finish[0]["finishing"] is True  # noted before finishing


def test_facebook_retry_after_finish_asks_the_video(server):
    server.expect_request(f"/v21.0/{FB_VIDEO}").respond_with_json(
        {
            "id": FB_VIDEO,
            "permalink_url": f"/{PAGE}/videos/{FB_VIDEO}/",
            "status": {"video_status": "ready"},
        }
    )
    progress, saved = recorded_progress(
        {
            "session": FB_SESSION,
            "video_id": FB_VIDEO,
            "start": 300_000,
            "end": 300_000,
            "finishing": True,
        }
    )

    result = FacebookPublisher().publish(
        account=account_for("facebook", PAGE),
        token="tok",
        media=unreadable_media(300_000),
        content=post_content(),
        progress=progress,
    )

    assert result == Published(FB_VIDEO, f"https://www.facebook.com/{PAGE}/videos/{FB_VIDEO}/")
    assert calls_to(server) == [f"GET /v21.0/{FB_VIDEO}"]  # no transfer, no second finish
    [(request, _)] = server.log
    assert "status" in request.args["fields"].split(",")
    assert saved == []
