"""Files read through Arrow (or GDAL's own decoding for other encodings) give the rows, geometries and CRS
a GeoDataFrame would have."""

import json

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from geodata.crs import parse_crs
from geodata.reading import open_batches, read_source

POINTS = [shapely.Point(115.7, 23.9), shapely.Point(115.8, 24.0)]


def test_geometry_without_attributes_is_two_rows_not_an_empty_file(tmp_path):
    path = tmp_path / "p.geojson"
    features = [{"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(p)} for p in POINTS]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    source = read_source(path)
    assert len(source.frame) == 2 and list(source.frame.columns) == []
    assert list(source.geoms) == POINTS


def test_projected_geopackage_keeps_its_crs_and_geometries(tmp_path):
    frame = gpd.GeoDataFrame({"户主": ["甲", None]}, geometry=POINTS, crs=4326).to_crs(4547)
    path = tmp_path / "h.gpkg"
    pyogrio.write_dataframe(frame, path)
    source = read_source(path)
    assert source.frame["户主"].tolist()[0] == "甲" and source.frame["户主"].isna().tolist() == [False, True]
    assert parse_crs(source.crs).to_epsg() == 4547
    assert shapely.equals_exact(source.geoms, frame.geometry.to_numpy(), tolerance=1e-6).all()


def test_gbk_shapefile_read_without_arrow_has_geometries(tmp_path):
    frame = gpd.GeoDataFrame({"名称": ["东岭村", "河口村"]}, geometry=POINTS, crs=4326)
    path = tmp_path / "村.shp"
    pyogrio.write_dataframe(frame, path, encoding="GBK")
    source = read_source(path, encoding="GBK")
    assert source.frame["名称"].tolist() == ["东岭村", "河口村"]
    assert list(source.geoms) == POINTS and parse_crs(source.crs).to_epsg() == 4326


def test_a_geopackage_in_batches_is_the_file_read_whole(tmp_path):
    points = [shapely.Point(115.7 + i / 1000, 23.9) for i in range(7)]
    frame = gpd.GeoDataFrame({"户主": [f"户{i}" for i in range(7)]}, geometry=points, crs=4326).to_crs(4547)
    path = tmp_path / "h.gpkg"
    pyogrio.write_dataframe(frame, path)
    whole = read_source(path)
    with open_batches(path, batch_rows=3) as (rows, batches):
        parts = list(batches)
    assert rows == 7 and [len(p.frame) for p in parts] == [3, 3, 1]
    assert sum((p.frame["户主"].tolist() for p in parts), []) == whole.frame["户主"].tolist()
    assert all(p.geoms is None and p.points.shape == (len(p.frame), 2) for p in parts)  # plain points: coordinates
    assert shapely.equals_exact(np.concatenate([p.geometries() for p in parts]), whole.geoms, tolerance=0).all()
    assert {p.crs for p in parts} == {whole.crs}


def test_files_arrow_cannot_stream_are_read_whole(tmp_path):
    csv = tmp_path / "h.csv"
    csv.write_text("户编码,户主\nh1,甲\n", encoding="utf-8")
    frame = gpd.GeoDataFrame({"名称": ["东岭村"]}, geometry=POINTS[:1], crs=4326)
    gbk = tmp_path / "村.shp"
    pyogrio.write_dataframe(frame, gbk, encoding="GBK")
    gbk.with_suffix(".cpg").unlink(missing_ok=True)
    for path in (csv, gbk):
        with open_batches(path) as opened:
            assert opened is None, path
