"""Pure: when a message held back by quiet hours (免打扰) may go out."""

from __future__ import annotations

from datetime import datetime, time, timedelta


def in_quiet_hours(moment: time, start: time | None, end: time | None) -> bool:
    """Whether a local wall-clock time falls in [start, end); the span may cross midnight."""
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def release_time(local_now: datetime, start: time | None, end: time | None) -> datetime:
    """`local_now` itself outside quiet hours, else the end of the quiet span (same tzinfo)."""
    if start is None or end is None or not in_quiet_hours(local_now.time(), start, end):
        return local_now
    release = local_now.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if release <= local_now:
        release += timedelta(days=1)
    return release
