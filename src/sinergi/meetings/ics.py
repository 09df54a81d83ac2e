"""iCalendar (RFC 5545) invitations written with the standard library: one VEVENT per meeting."""

from __future__ import annotations

import datetime as dt

from sinergi.core import clock


def _escape(text: str) -> str:
    return (
        str(text or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded: CRLF followed by one space (RFC 5545 §3.1)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for ch in line:
        b = ch.encode("utf-8")
        limit = 75 if not parts else 74
        if len(current) + len(b) > limit:
            parts.append(current.decode("utf-8"))
            current = b""
        current += b
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_ics(meetings, *, method: str = "PUBLISH", host: str = "sinergi.local") -> bytes:
    now = clock.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Sinergi//Meetings//ID",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
    ]
    for m in meetings:
        end = m.ends_at or (m.starts_at + dt.timedelta(hours=2))
        lines += [
            "BEGIN:VEVENT",
            f"UID:{m.uid}@{host}",
            f"DTSTAMP:{_utc(now)}",
            f"DTSTART:{_utc(m.starts_at)}",
            f"DTEND:{_utc(end)}",
            f"SEQUENCE:{m.sequence}",
            f"SUMMARY:{_escape(m.title)}",
            f"LOCATION:{_escape(m.place)}",
            f"DESCRIPTION:{_escape(m.description)}",
            f"ORGANIZER;CN={_escape(str(m.organiser))}:mailto:noreply@{host}",
            "STATUS:" + {"cancelled": "CANCELLED", "planned": "CONFIRMED", "held": "CONFIRMED"}[m.status],
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")
