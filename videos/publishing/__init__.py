"""Scheduling videos to social platforms and publishing them exactly once per platform.

models: PublishSchedule (one request, several platforms) → PlatformPost (one per platform)
→ PublishAttempt (the log). services: create, cancel, reschedule. dispatcher: claim due
posts and publish them through `integrations.publishers`.
"""
