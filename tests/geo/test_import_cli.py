"""`xuncha import-zones FILE --layer L [--crs C]`."""

import json

import pytest
from sqlmodel import select

from app.cli import main
from app.geo import distance_m
from app.geo.crs import from_wgs84
from app.models import Zone
from tests.geo.conftest import at, collection, feature, rect


def write(tmp_path, data, name="zones.geojson"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_import_zones_creates_then_updates(database_url, session, units, tmp_path, capsys):
    path = write(tmp_path, collection(feature("G01", "sq01", rect(0, 0, 400, 300), name="第1网格")))
    assert main(["import-zones", path, "--layer", "grid"]) == 0
    assert "layer grid: 1 created, 0 updated" in capsys.readouterr().out
    assert main(["import-zones", path, "--layer", "grid"]) == 0
    assert "layer grid: 0 created, 1 updated" in capsys.readouterr().out
    assert session.exec(select(Zone.name)).all() == ["第1网格"]


def test_import_zones_converts_gcj02(database_url, session, units, tmp_path):
    lon, lat = at(0, 0)
    g = from_wgs84(lon, lat, "gcj02")
    ring = [
        [g[0], g[1]],
        [g[0] + 0.001, g[1]],
        [g[0] + 0.001, g[1] + 0.001],
        [g[0], g[1] + 0.001],
        [g[0], g[1]],
    ]
    path = write(tmp_path, collection(feature("G01", "sq01", {"type": "Polygon", "coordinates": [ring]})))
    assert main(["import-zones", path, "--layer", "grid", "--crs", "gcj02"]) == 0
    zone = session.exec(select(Zone)).one()
    corner = json.loads(zone.geometry)["coordinates"][0][0]
    assert distance_m(*corner, lon, lat) < 0.01


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{broken", "is not JSON: Expecting property name enclosed in double quotes at line 1, column 2"),
        (collection(feature("G01", "nobody", rect(0, 0, 10, 10))), "feature 0 (code 'G01'): unit 'nobody'"),
        ('"just a string"', "the body must be a GeoJSON FeatureCollection"),
    ],
)
def test_a_bad_file_exits_non_zero_saying_why(
    database_url, session, units, tmp_path, capsys, content, expected
):
    assert main(["import-zones", write(tmp_path, content), "--layer", "grid"]) == 1
    assert expected in capsys.readouterr().err
    assert session.exec(select(Zone)).all() == []


def test_a_missing_or_binary_file_is_reported(database_url, units, tmp_path, capsys):
    assert main(["import-zones", str(tmp_path / "nope.geojson"), "--layer", "grid"]) == 1
    assert "cannot read" in capsys.readouterr().err
    binary = tmp_path / "x.geojson"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert main(["import-zones", str(binary), "--layer", "grid"]) == 1
    assert "is not UTF-8 text" in capsys.readouterr().err


def test_an_unknown_layer_is_refused_by_the_parser(database_url, tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        main(["import-zones", "x.geojson", "--layer", "parks"])
    assert e.value.code == 2 and "invalid choice: 'parks'" in capsys.readouterr().err
