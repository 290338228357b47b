"""The perceptual hash: stable across sizes and re-encoding, far apart for different scenes."""

import pytest

from app.photos.phash import hamming, phash, to_hex, to_signed, within_bits
from tests.photos.images import encode, opened, picture


def test_same_scene_at_any_size_hashes_alike():
    big = picture(7, (2400, 1800))
    small = big.resize((320, 240))
    assert hamming(phash(big), phash(small)) <= 2


def test_recompressed_copy_hashes_alike():
    scene = picture(7, (1200, 900))
    copy = opened(encode(scene, "JPEG", quality=40))
    assert hamming(phash(scene), phash(copy)) <= 2


def test_different_scenes_hash_far_apart():
    hashes = [phash(picture(seed, (400, 300))) for seed in range(1, 7)]
    assert min(hamming(a, b) for i, a in enumerate(hashes) for b in hashes[i + 1 :]) > 10


@pytest.mark.parametrize("value", [0, 1, 2**63 - 1, 2**63, 2**64 - 1, 0xAD53D353D282807F])
def test_hex_and_signed_forms_keep_the_bits(value):
    assert int(to_hex(value), 16) == value
    assert -(2**63) <= to_signed(value) < 2**63
    assert to_signed(value) & (2**64 - 1) == value


def test_within_bits_lists_every_neighbour_once():
    near = within_bits(0b1010, 4, 2)
    assert len(near) == len(set(near)) == 1 + 4 + 6
    assert {hamming(v, 0b1010) for v in near} == {0, 1, 2}
