"""QR tokens: random, URL-safe, short, never reused."""

import secrets

TOKEN_BYTES = 16  # 128 bits of randomness


def new_token() -> str:
    """Return a fresh token: 128 random bits as 22 URL-safe characters."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def scan_url(public_base_url: str, token: str) -> str:
    """Return what a point's QR code encodes."""
    return f"{public_base_url.rstrip('/')}/p/{token}"
