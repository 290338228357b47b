"""A 64-bit perceptual hash (the DCT pHash of imagehash, in numpy) and Hamming distances between hashes.

The image is made grey and 32x32, its 2-D DCT-II taken, and each of the 8x8 lowest frequencies compared with
their median: bit i (most significant first, row by row) is 1 where the coefficient is above the median.
This is bit-for-bit the construction of imagehash.phash, without scipy. The bits depend only on the coarse
picture, so hashing a 320 px thumbnail gives the hash of the 12 MP original at a hundredth of the cost.
"""

from itertools import combinations

import numpy as np
from PIL import Image

HASH_SIZE = 8
IMAGE_SIZE = 32
_n = np.arange(IMAGE_SIZE)
# rows k < 8 of the (unnormalised) DCT-II matrix: the scale does not change which side of the median a value is
_DCT = np.cos(np.pi * np.outer(np.arange(HASH_SIZE), 2 * _n + 1) / (2 * IMAGE_SIZE))
_WEIGHTS = 1 << np.arange(HASH_SIZE * HASH_SIZE - 1, -1, -1, dtype=np.uint64)


def phash(image: Image.Image) -> int:
    """The hash as an unsigned 64-bit integer."""
    grey = image.convert("L").resize((IMAGE_SIZE, IMAGE_SIZE), Image.Resampling.LANCZOS)
    pixels = np.asarray(grey, dtype=np.float64)
    low = _DCT @ pixels @ _DCT.T
    bits = (low > np.median(low)).ravel()
    return int(_WEIGHTS[bits].sum(dtype=np.uint64))


def to_hex(value: int) -> str:
    return f"{value & 0xFFFF_FFFF_FFFF_FFFF:016x}"


def to_signed(value: int) -> int:
    """The same 64 bits as a signed integer, which is what a BIGINT column holds."""
    value &= 0xFFFF_FFFF_FFFF_FFFF
    return value - (1 << 64) if value >= 1 << 63 else value


def hamming(a: int, b: int) -> int:
    return ((a ^ b) & 0xFFFF_FFFF_FFFF_FFFF).bit_count()


def within_bits(value: int, bits: int, radius: int) -> list[int]:
    """Every `bits`-bit value at most `radius` bits away from `value` (1 + bits + C(bits, 2) + ...)."""
    return [
        value ^ sum(1 << p for p in flipped)
        for r in range(radius + 1)
        for flipped in combinations(range(bits), r)
    ]
