"""Generates the demo district (~8 x 6 km) from a fixed seed: units, and zones in every layer.

Pure: shapely geometries in WGS-84 and plain data, no database.
"""

import math
import random
from dataclasses import dataclass, field
from typing import Any

from shapely import transform
from shapely.affinity import rotate
from shapely.geometry import LineString, Polygon, box
from shapely.geometry.base import BaseGeometry

SEED = 20261125
# south-west corner of the district (a fictional district laid over open ground)
LON0, LAT0 = 112.9300, 28.1900
WIDTH_M, HEIGHT_M = 8000, 6000
M_PER_DEG_LAT = 110_574.0
M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(LAT0 + HEIGHT_M / 2 / M_PER_DEG_LAT))

SITE_KINDS = {
    "main_road": "主次干道",
    "back_alley": "背街小巷",
    "park_square": "公园广场",
    "cultural_venue": "公共文化场所",
    "service_window": "窗口服务单位",
    "hospital": "医院",
    "school": "学校",
    "residential": "居民小区",
    "construction": "建筑工地",
    "volunteer_station": "志愿服务站",
    "practice_station": "新时代文明实践站",
}

DEPARTMENTS = [
    ("cjb", "区创建办", "office"),
    ("cgj", "区城管局", "department"),
    ("zjj", "区住建局", "department"),
    ("scjg", "区市场监管局", "department"),
    ("gafj", "区公安分局", "department"),
    ("jjdd", "区交警大队", "department"),
    ("wlj", "区文旅局", "department"),
    ("wjj", "区卫健局", "department"),
    ("jyj", "区教育局", "department"),
    ("mzj", "区民政局", "department"),
    ("yll", "区园林绿化局", "department"),
    ("hws", "区环卫所", "department"),
    ("swz", "区文明办", "department"),
    ("zwfw", "区政务服务中心", "department"),
]
STREETS = ["东风", "解放", "芙蓉", "湘江", "望月", "雨花"]
ROAD_NAMES_EW = ["人民路", "建设路", "五一大道", "劳动路"]
ROAD_NAMES_NS = ["韶山路", "芙蓉路", "黄兴路", "车站路", "蔡锷路"]
COMPOUND_NAMES = [
    "幸福里",
    "阳光",
    "锦绣",
    "和平",
    "枫林",
    "翠苑",
    "金桂",
    "书香",
    "紫荆",
    "龙湾",
    "梅溪",
    "望江",
    "长青",
    "桃源",
    "星城",
    "银杉",
    "怡园",
    "丽景",
    "安居",
    "富康",
    "明珠",
    "绿城",
    "嘉园",
    "天鹅",
]
SHOPS = [
    "百姓超市",
    "老长沙餐馆",
    "湘味粉店",
    "好邻居便利店",
    "新华书店",
    "益丰大药房",
    "茶颜小铺",
    "五金建材行",
]


@dataclass
class DemoUnit:
    code: str
    name: str
    kind: str
    parent: str | None = None


@dataclass
class DemoZone:
    layer: str
    code: str
    name: str
    unit: str
    geometry: BaseGeometry  # WGS-84
    category: str | None = None
    width_m: float | None = None


@dataclass
class District:
    units: list[DemoUnit] = field(default_factory=list)
    zones: list[DemoZone] = field(default_factory=list)

    def layer(self, name: str) -> list[DemoZone]:
        return [z for z in self.zones if z.layer == name]


def to_wgs84(geom: BaseGeometry) -> BaseGeometry:
    """Local metres (x east, y north from the south-west corner) to lon/lat."""
    return transform(geom, lambda xy: xy / [M_PER_DEG_LON, M_PER_DEG_LAT] + [LON0, LAT0])


def _rect(cx: float, cy: float, w: float, h: float, angle: float = 0) -> Polygon:
    r = box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
    return rotate(r, angle, origin=(cx, cy)) if angle else r


def build_district(seed: int = SEED) -> District:
    rnd = random.Random(seed)
    d = District()
    d.units += [DemoUnit(c, n, k) for c, n, k in DEPARTMENTS]
    for i, s in enumerate(STREETS, 1):
        d.units.append(DemoUnit(f"jd{i:02d}", f"{s}街道办事处", "street"))
    communities = []
    for i in range(12):
        street = f"jd{i // 2 + 1:02d}"
        code = f"sq{i + 1:02d}"
        communities.append(code)
        d.units.append(DemoUnit(code, f"{STREETS[i // 2]}{'东西'[i % 2]}社区居委会", "community", street))
    for i, name in enumerate(["万科物业", "碧桂园服务", "保利物业", "绿城服务"], 1):
        d.units.append(DemoUnit(f"wy{i:02d}", name, "enterprise"))
    for i, name in enumerate(SHOPS, 1):
        d.units.append(DemoUnit(f"sh{i:02d}", name, "shop"))
    departments = [c for c, _, k in DEPARTMENTS if k == "department"]

    # grids: 1 km squares tiling the district, four to a community
    for gx in range(WIDTH_M // 1000):
        for gy in range(HEIGHT_M // 1000):
            n = gx * (HEIGHT_M // 1000) + gy
            unit = communities[n % len(communities)]
            geom = box(gx * 1000, gy * 1000, (gx + 1) * 1000, (gy + 1) * 1000)
            d.zones.append(DemoZone("grid", f"G{gx + 1:02d}{gy + 1:02d}", f"第{n + 1}网格", unit, geom))

    # main roads: straight centre-lines across the district, in segments of ~2 km, each with its road-chief unit
    roads: list[tuple[str, LineString, float]] = []
    ys = [900, 2400, 3700, 5200]
    xs = [800, 2300, 4000, 5600, 7200]
    for name, y in zip(ROAD_NAMES_EW, ys, strict=True):
        for k, x0 in enumerate(range(0, WIDTH_M, 2000)):
            roads.append(
                (f"{name}{k + 1}段", LineString([(x0, y), (x0 + 2000, y)]), rnd.choice([30, 36, 40]))
            )
    for name, x in zip(ROAD_NAMES_NS, xs, strict=True):
        for k, y0 in enumerate(range(0, HEIGHT_M, 2000)):
            roads.append(
                (f"{name}{k + 1}段", LineString([(x, y0), (x, y0 + 2000)]), rnd.choice([24, 30, 36]))
            )
    alleys: list[tuple[str, LineString, float]] = []
    for i in range(24):
        ax, ay = rnd.uniform(300, WIDTH_M - 500), rnd.uniform(300, HEIGHT_M - 500)
        length = rnd.uniform(250, 600)
        line = (
            LineString([(ax, ay), (ax + length, ay)]) if i % 2 else LineString([(ax, ay), (ax, ay + length)])
        )
        alleys.append((f"{rnd.choice(STREETS)}{'一二三四五六七八'[i % 8]}巷", line, rnd.choice([6, 8])))
    for n, (name, line, width) in enumerate([*roads, *alleys]):
        code = f"R{n + 1:03d}"
        unit = departments[n % len(departments)]
        d.zones.append(DemoZone("road", code, name, unit, line, width_m=width))

    # residential compounds (单位包小区) with their buildings (干部包楼栋)
    compounds: list[Any] = []
    for i, cname in enumerate(COMPOUND_NAMES):
        for _ in range(50):
            cx, cy = rnd.uniform(300, WIDTH_M - 300), rnd.uniform(300, HEIGHT_M - 300)
            geom = _rect(cx, cy, rnd.uniform(160, 260), rnd.uniform(120, 200))
            clear_of_roads = all(geom.distance(line) > w for _, line, w in roads)
            if clear_of_roads and all(geom.distance(c) > 40 for c in compounds):
                break
        compounds.append(geom)
        unit = departments[(i * 3) % len(departments)] if i % 3 else f"wy{i % 4 + 1:02d}"
        ccode = f"C{i + 1:02d}"
        d.zones.append(DemoZone("compound", ccode, f"{cname}小区", unit, geom))
        minx, miny, maxx, maxy = geom.bounds
        for b in range(rnd.randint(3, 6)):
            bx = minx + 30 + (b % 3) * (maxx - minx - 60) / 2
            by = miny + 35 + (b // 3) * (maxy - miny - 70)
            building = _rect(bx, by, 20, 45, angle=90 if b % 2 else 0)
            bunit = departments[(i + b) % len(departments)]
            d.zones.append(
                DemoZone("building", f"{ccode}-B{b + 1}", f"{cname}小区{b + 1}栋", bunit, building)
            )

    # shop frontages (门前三包): strips along the north side of east-west main roads
    for n in range(60):
        name, line, width = roads[n % 16]
        (x0, y), (x1, _) = line.coords
        sx = rnd.uniform(x0 + 60, x1 - 60)
        strip = box(sx - 25, y + width / 2, sx + 25, y + width / 2 + 12)
        shop = n % len(SHOPS)
        d.zones.append(
            DemoZone("frontage", f"F{n + 1:03d}", f"{SHOPS[shop]}({name})门前", f"sh{shop + 1:02d}", strip)
        )

    _add_sites(d, rnd, roads, alleys, compounds, departments)
    for z in d.zones:
        z.geometry = to_wgs84(z.geometry)
    return d


def _add_sites(d, rnd, roads, alleys, compounds, departments) -> None:
    """~130 inspection sites (点位) over the kinds of DESIGN.md."""
    by_kind_unit = {
        "park_square": "yll",
        "cultural_venue": "wlj",
        "service_window": "zwfw",
        "hospital": "wjj",
        "school": "jyj",
        "construction": "zjj",
        "volunteer_station": "swz",
        "practice_station": "swz",
    }
    names = {
        "park_square": "公园",
        "cultural_venue": "图书馆",
        "service_window": "办事大厅",
        "hospital": "医院",
        "school": "学校",
        "construction": "工地",
        "volunteer_station": "志愿服务站",
        "practice_station": "新时代文明实践站",
    }
    n = 0

    def add(kind, name, unit, geom):
        nonlocal n
        n += 1
        d.zones.append(DemoZone("site", f"S{n:03d}", name, unit, geom, category=kind))

    for i, (name, line, width) in enumerate(roads[:20]):
        add(
            "main_road", name, departments[i % len(departments)], line.buffer(width / 2 + 5, cap_style="flat")
        )
    for i, (name, line, width) in enumerate(alleys[:16]):
        add("back_alley", name, f"jd{i % 6 + 1:02d}", line.buffer(width / 2 + 3, cap_style="flat"))
    for i, geom in enumerate(compounds):
        add("residential", f"{COMPOUND_NAMES[i]}小区", f"sq{i % 12 + 1:02d}", geom.buffer(5))
    counts = {
        "park_square": 12,
        "cultural_venue": 8,
        "service_window": 10,
        "hospital": 6,
        "school": 12,
        "construction": 8,
        "volunteer_station": 10,
        "practice_station": 6,
    }
    taken = list(compounds)
    for kind, count in counts.items():
        for k in range(count):
            for _ in range(50):
                size = 220 if kind == "park_square" else 110
                geom = _rect(rnd.uniform(200, 7800), rnd.uniform(200, 5800), size, size * 0.7)
                if all(geom.distance(t) > 20 for t in taken):
                    break
            taken.append(geom)
            street = STREETS[k % len(STREETS)]
            add(kind, f"{street}{names[kind]}{'' if count == 1 else k + 1}", by_kind_unit[kind], geom)
