"""QR tokens (random, URL-safe, short, never reused) and the short codes printed beside them."""

import re
import secrets

TOKEN_BYTES = 16  # 128 bits of randomness

# Crockford's base 32: no I, L, O or U, so a code read aloud or typed is hard to get wrong.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_CODE = re.compile(f"^[{CODE_ALPHABET}]{{8}}$")


def new_token() -> str:
    """Return a fresh token: 128 random bits as 22 URL-safe characters."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_short_code() -> str:
    """Return a code of 8 Crockford base-32 characters (40 bits), as printed: 7KQM-3XF2."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


def parse_short_code(text: str) -> str | None:
    """Return the short code someone typed (any case, dashes, spaces, O for 0) as printed, or None."""
    code = re.sub(r"[\s-]", "", text).upper().translate(_CODE_TYPOS)
    return f"{code[:4]}-{code[4:]}" if _CODE.match(code) else None


def scan_url(public_base_url: str, token: str) -> str:
    """Return what a point's QR code encodes."""
    return f"{public_base_url.rstrip('/')}/p/{token}"
