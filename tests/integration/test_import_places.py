"""Points located in Python (shapely STRtree) land where PostGIS's ST_Covers puts them, boundaries included."""

import itertools

import pytest
from sqlalchemy import text

from geodata.errors import ImportRejected
from gridmgmt.services.accounts.audit import Actor
from gridmgmt.services.imports import direct, import_layer

TOWNSHIP = "449900103000"
IMPORTER = Actor("importer")


def box(x0, y0, x1, y1) -> str:
    return f"POLYGON(({x0} {y0}, {x1} {y0}, {x1} {y1}, {x0} {y1}, {x0} {y0}))"


# Villages A and B share the edge x = 115.72; C overlaps both (a point in two villages takes the smaller id).
VILLAGES = {
    "449900103001": box(115.70, 23.90, 115.72, 23.94),
    "449900103002": box(115.72, 23.90, 115.74, 23.94),
    "449900103003": box(115.71, 23.92, 115.73, 23.95),
}
# A's lower half is two polygon groups sharing x = 115.71, its upper half has two point groups (nearest wins,
# ties the smaller id); B's group reaches into A, where it must not claim A's households.
GROUPS = {
    "449900103001001": ("449900103001", box(115.70, 23.90, 115.71, 23.92)),
    "449900103001002": ("449900103001", box(115.71, 23.90, 115.72, 23.92)),
    "449900103001003": ("449900103001", "POINT(115.705 23.93)"),
    "449900103001004": ("449900103001", "POINT(115.715 23.93)"),
    "449900103002001": ("449900103002", box(115.715, 23.90, 115.73, 23.91)),
}
XS = (115.70, 115.705, 115.71, 115.715, 115.716, 115.72, 115.725, 115.73, 115.74)
YS = (23.90, 23.905, 23.91, 23.92, 23.93, 23.94, 23.95)
# What the importer did in PostGIS before points were located in Python: the reference.
REFERENCE = """
WITH placed AS (
    SELECT h.code, h.geom, (
        SELECT v.id FROM village v WHERE ST_Covers(v.geom, h.geom) AND (CAST(:town AS bigint) IS NULL OR v.township_id = :town)
        ORDER BY v.id LIMIT 1
    ) AS village_id
    FROM household h
)
SELECT p.code, p.village_id, v.township_id, COALESCE(
    (SELECT min(g.id) FROM village_group g
     WHERE g.village_id = p.village_id AND ST_Dimension(g.geom) = 2 AND ST_Covers(g.geom, p.geom)),
    (SELECT g.id FROM village_group g WHERE g.village_id = p.village_id AND ST_Dimension(g.geom) = 0
     ORDER BY g.geom <-> p.geom, g.id LIMIT 1)
)
FROM placed p JOIN village v ON v.id = p.village_id ORDER BY p.code
"""
IMPORTED = """SELECT h.code, h.village_id, v.township_id, h.group_id
FROM household h JOIN village v ON v.id = h.village_id ORDER BY h.code"""


def csv(tmp_path, name, header, rows) -> str:
    path = tmp_path / name
    path.write_text(header + "".join(",".join(f'"{v}"' for v in row) + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture
def township(session, tmp_path):
    """A township whose villages and groups meet and overlap along the points' coordinates."""
    load = lambda layer, path, **o: import_layer(session, layer, path, actor=IMPORTER, **o)  # noqa: E731
    load(
        "townships",
        csv(tmp_path, "t.csv", "编码,名称,wkt\n", [(TOWNSHIP, "边界镇", box(115.69, 23.89, 115.75, 23.96))]),
    )
    villages = [(code, f"村{i}", wkt) for i, (code, wkt) in enumerate(VILLAGES.items())]
    load("villages", csv(tmp_path, "v.csv", "编码,名称,wkt\n", villages), township=TOWNSHIP)
    groups = [(code, f"组{i}", village, wkt) for i, (code, (village, wkt)) in enumerate(GROUPS.items())]
    load("groups", csv(tmp_path, "g.csv", "编码,名称,村编码,wkt\n", groups), township=TOWNSHIP)
    return session


def households(tmp_path, points):
    rows = [(f"h{i:03d}", f"户主{i}", x, y) for i, (x, y) in enumerate(points)]
    return csv(tmp_path, "h.csv", "户编码,户主,经度,纬度\n", rows)


def inside(x, y) -> bool:
    return 115.70 <= x <= 115.74 and 23.90 <= y <= 23.94 or 115.71 <= x <= 115.73 and 23.92 <= y <= 23.95


@pytest.mark.parametrize("with_township", [True, False])
def test_points_on_every_boundary_get_the_postgis_village_and_group(township, tmp_path, with_township):
    points = [p for p in itertools.product(XS, YS) if inside(*p)]
    code = TOWNSHIP if with_township else None
    import_layer(township, "households", households(tmp_path, points), actor=IMPORTER, township=code)
    town = township.execute(text("SELECT id FROM township WHERE code = :c"), {"c": TOWNSHIP}).scalar()
    imported = township.execute(text(IMPORTED)).all()
    assert len(imported) == len(points) and all(row[1] is not None for row in imported)
    assert imported == township.execute(text(REFERENCE), {"town": town if with_township else None}).all()
    # Spot checks of the rules themselves, not only agreement with the reference.
    by_place = {(x, y): row for (x, y), row in zip(points, imported)}
    ids = dict(township.execute(text("SELECT code, id FROM village_group")).all())
    assert by_place[(115.71, 23.905)][3] == ids["449900103001001"]  # on two groups' shared edge
    assert by_place[(115.716, 23.905)][3] == ids["449900103001002"]  # B's group reaches here, but it is A's
    assert by_place[(115.71, 23.93)][3] == ids["449900103001003"]  # equidistant from two point groups


def test_points_outside_every_village_are_each_reported(township, tmp_path):
    points = [(115.705, 23.905), (115.745, 23.905), (115.70, 23.95)]
    with pytest.raises(ImportRejected) as info:
        import_layer(township, "households", households(tmp_path, points), actor=IMPORTER, township=TOWNSHIP)
    assert [str(e) for e in info.value.errors] == [
        f"第 {row} 条［几何］：位置 POINT({x} {y}) 不在乡镇“边界镇”的任何行政村内"
        for row, (x, y) in ((2, points[1]), (3, points[2]))
    ]
    assert township.execute(text("SELECT count(*) FROM household")).scalar() == 0


ROWS = """SELECT id, code, head, address, member_count, hardship, critically_ill, empty_nest_elderly,
left_behind_children, petitioner, is_party_household, is_party_center_household, village_id, group_id,
grid_cell_id, ST_AsEWKB(geom), version, created_at = updated_at FROM household ORDER BY id"""


def test_a_clean_file_copied_straight_in_equals_the_staged_import(township, tmp_path, monkeypatch):
    """The direct COPY and the stage write the same rows, flags and links included, in the same order."""
    flags = "困难家庭,大病重病,空巢老人,留守儿童,信访户,党员户,党员中心户"
    rows = [
        (
            f"h{i:03d}",
            f"户主{i}",
            f"地址{i}" if i % 3 else "",
            i % 5 + 1,
            x,
            y,
            *("是" if (i + k) % 4 == 0 else "否" for k in range(7)),
        )
        for i, (x, y) in enumerate(p for p in itertools.product(XS, YS) if inside(*p))
    ]
    path = csv(tmp_path, "h.csv", f"户编码,户主,地址,人口,经度,纬度,{flags}\n", rows)
    written = []
    for layers in (direct.DIRECT, set()):
        monkeypatch.setattr(direct, "DIRECT", layers)
        township.execute(text("SELECT setval(pg_get_serial_sequence('household', 'id'), 1000, false)"))
        assert import_layer(township, "households", path, actor=IMPORTER).inserted == len(rows)
        written.append(township.execute(text(ROWS)).all())
        township.execute(text("DELETE FROM household"))
        township.commit()
    assert written[0] == written[1]
    assert {row[5] for row in written[0]} == {True, False} and all(row[13] for row in written[0][:5])
