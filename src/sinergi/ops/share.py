"""WhatsApp share links (wa.me) for notices an officer forwards by hand; nothing is sent by Sinergi."""

import re
from urllib.parse import quote

MAX_TEXT = 1500  # wa.me links longer than ~2,000 characters are cut by some phones


def whatsapp_number(phone: str) -> str:
    """Indonesian numbers in international form without '+': 0812-3456-789 → 628123456789."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    return digits if 9 <= len(digits) <= 15 else ""


def whatsapp_url(text: str, phone: str = "") -> str:
    """https://wa.me/<number>?text=… (or https://wa.me/?text=… to let the officer choose the contact)."""
    number = whatsapp_number(phone)
    body = str(text)
    if len(body) > MAX_TEXT:
        body = body[: MAX_TEXT - 1] + "…"
    return f"https://wa.me/{number}?text={quote(body, safe='')}"
