"""Tell photos of the same thing apart from others: a 64-bit difference hash."""

from PIL import Image


def dhash(image: Image.Image) -> str:
    """Return the image's difference hash as 16 hex digits.

    The image is shrunk to 9x8 grey pixels and each pixel compared with its right-hand
    neighbour: the hash follows the picture's gradients, so re-encoding, resizing or a
    change of brightness moves it by a few bits, and another picture by about half of them.
    """
    grey = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = grey.tobytes()
    bits = 0
    for row in range(8):
        for col in range(8):
            left, right = pixels[row * 9 + col], pixels[row * 9 + col + 1]
            bits = (bits << 1) | (left > right)
    return f"{bits:016x}"


def hamming(a: str, b: str) -> int:
    """Return how many of the 64 bits two difference hashes differ in."""
    return (int(a, 16) ^ int(b, 16)).bit_count()
