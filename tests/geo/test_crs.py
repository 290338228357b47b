"""WGS-84 / GCJ-02 / BD-09 against published reference pairs, round trips, and the outside-China convention."""

import numpy as np
import pytest

from app.geo import distance_m, from_wgs84, from_wgs84_many, to_wgs84, to_wgs84_many
from app.geo.crs import bd09_to_gcj02, gcj02_to_bd09, gcj02_to_wgs84, wgs84_to_gcj02

# (wgs lon, wgs lat, gcj lon, gcj lat): the test pairs of the eviltransform project (googollee/eviltransform,
# test.py), used by its ports in many languages: Shanghai, Shenzhen, Beijing.
WGS_GCJ = [
    (121.5272106, 31.1774276, 121.531541859215, 31.17530398364597),
    (113.912316, 22.543847, 113.9171764808363, 22.540796131694766),
    (116.377817, 39.911954, 116.38404722455657, 39.91334545536069),
    # wandergis/coordtransform README: wgs84togcj02(116.404, 39.915)
    (116.404, 39.915, 116.41024449916938, 39.91640428150164),
]
# wandergis/coordtransform README: gcj02tobd09(116.404, 39.915)
GCJ_BD = (116.404, 39.915, 116.41036949371029, 39.92133699351021)
# wandergis/coordtransform README: bd09togcj02(116.404, 39.915) with the one-step published inverse
BD_GCJ_APPROX = (116.404, 39.915, 116.39762729119315, 39.90865673957631)
# a Baidu / GCJ pair published to 5 decimals (Beijing): BD (116.43351, 39.90851) is GCJ (116.42703, 39.90245)
BD_GCJ_ROUNDED = (116.43351, 39.90851, 116.42703, 39.90245)
OUTSIDE_CHINA = [(-104.9903, 39.7392), (153.0251, -27.4698), (-43.1729, -22.9068), (2.3522, 48.8566)]


@pytest.mark.parametrize(("wlon", "wlat", "glon", "glat"), WGS_GCJ)
def test_wgs84_to_gcj02_matches_the_published_pairs(wlon, wlat, glon, glat):
    lon, lat = from_wgs84(wlon, wlat, "gcj02")
    assert lon == pytest.approx(glon, abs=1e-9) and lat == pytest.approx(glat, abs=1e-9)


@pytest.mark.parametrize(("wlon", "wlat", "glon", "glat"), WGS_GCJ)
def test_gcj02_inverse_lands_within_a_centimetre_of_the_published_wgs84(wlon, wlat, glon, glat):
    lon, lat = to_wgs84(glon, glat, "gcj02")
    assert distance_m(lon, lat, wlon, wlat) < 0.01


def test_gcj02_to_bd09_matches_the_published_pair():
    glon, glat, blon, blat = GCJ_BD
    assert gcj02_to_bd09(glon, glat) == pytest.approx((blon, blat), abs=1e-9)


def test_bd09_inverse_refines_the_published_approximation_and_round_trips():
    blon, blat, glon, glat = BD_GCJ_APPROX
    lon, lat = bd09_to_gcj02(blon, blat)
    assert distance_m(lon, lat, glon, glat) < 0.5  # the published one-step inverse is off by up to ~0.2 m
    assert distance_m(*gcj02_to_bd09(lon, lat), blon, blat) < 0.001  # ours inverts the forward exactly


def test_bd09_to_gcj02_matches_a_pair_published_to_five_decimals():
    blon, blat, glon, glat = BD_GCJ_ROUNDED
    assert distance_m(*bd09_to_gcj02(blon, blat), glon, glat) < 1.5  # 5 decimals is ±0.6 m per axis


def test_bd09_to_wgs84_is_the_chain_through_gcj02():
    wlon, wlat, glon, glat = WGS_GCJ[2]
    blon, blat = gcj02_to_bd09(glon, glat)
    assert distance_m(*to_wgs84(blon, blat, "bd09"), wlon, wlat) < 0.01
    assert from_wgs84(wlon, wlat, "bd09") == pytest.approx((blon, blat), abs=1e-9)


def test_the_inverses_are_better_than_half_a_metre_all_over_china():
    rng = np.random.default_rng(7)
    lons, lats = rng.uniform(73.5, 134.5, 20_000), rng.uniform(18.2, 53.4, 20_000)
    for crs in ("gcj02", "bd09"):
        back = to_wgs84_many(*from_wgs84_many(lons, lats, crs), crs)
        worst = max(distance_m(lons[i], lats[i], back[0][i], back[1][i]) for i in range(0, 20_000, 7))
        assert worst < 0.01, crs


def test_gcj02_offsets_are_hundreds_of_metres_inside_china():
    lon, lat = 113.0, 28.2
    assert 100 < distance_m(lon, lat, *wgs84_to_gcj02(lon, lat)) < 1000


@pytest.mark.parametrize(("lon", "lat"), OUTSIDE_CHINA)
@pytest.mark.parametrize("crs", ["wgs84", "gcj02", "bd09"])
def test_points_outside_china_pass_through_unchanged(lon, lat, crs):
    assert to_wgs84(lon, lat, crs) == (lon, lat)
    assert from_wgs84(lon, lat, crs) == (lon, lat)
    many = to_wgs84_many([lon], [lat], crs)
    assert (many[0][0], many[1][0]) == (lon, lat)
    many = from_wgs84_many([lon], [lat], crs)
    assert (many[0][0], many[1][0]) == (lon, lat)


def test_the_array_functions_agree_with_the_scalar_ones():
    rng = np.random.default_rng(3)
    lons, lats = rng.uniform(70, 140, 500), rng.uniform(0, 56, 500)
    for crs in ("wgs84", "gcj02", "bd09"):
        flon, flat = from_wgs84_many(lons, lats, crs)
        blon, blat = to_wgs84_many(lons, lats, crs)
        for i in range(0, 500, 11):
            assert (flon[i], flat[i]) == pytest.approx(from_wgs84(lons[i], lats[i], crs), abs=1e-9)
            assert (blon[i], blat[i]) == pytest.approx(to_wgs84(lons[i], lats[i], crs), abs=1e-9)


def test_gcj02_scalar_inverse_stops_early_and_accepts_its_own_tolerance():
    wlon, wlat, glon, glat = WGS_GCJ[0]
    coarse = gcj02_to_wgs84(glon, glat, tolerance_deg=1e-4, max_steps=2)
    assert distance_m(*coarse, wlon, wlat) < 20  # two steps: close, not exact
    assert distance_m(*gcj02_to_wgs84(glon, glat), wlon, wlat) < 0.01


def test_unknown_crs_is_refused():
    with pytest.raises(ValueError):
        to_wgs84(113.0, 28.2, "epsg:3857")


def test_bulk_gcj02_inverse_passes_far_points_through_without_holding_up_the_rest():
    import warnings

    import numpy as np

    from app.geo.crs import gcj02_to_wgs84, gcj02_to_wgs84_many

    lons, lats = [112.97, 10.0, 116.4, 179.9], [28.2, 89.99, 39.9, -89.9]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow while iterating a point near a pole fails the test
        out_lons, out_lats = gcj02_to_wgs84_many(lons, lats)
    expected = [gcj02_to_wgs84(lon, lat) for lon, lat in zip(lons, lats, strict=True)]
    assert np.allclose(out_lons, [e[0] for e in expected], atol=1e-9)
    assert np.allclose(out_lats, [e[1] for e in expected], atol=1e-9)
    assert (out_lons[1], out_lats[1]) == (10.0, 89.99)
