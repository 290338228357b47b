"""The default checklist of every site kind, from the evaluation system (测评体系): facilities complete, service
up to standard, environment clean, atmosphere. The admin edits them through the API; this is version 1."""

# code -> (section, text, category of the issue a failure becomes)
ITEMS: dict[str, tuple[str, str, str]] = {
    "road_surface": ("facilities", "路面平整，无坑洼破损", "fac.road"),
    "street_lamps": ("facilities", "路灯完好，夜间正常亮灯", "fac.lamp"),
    "benches": ("facilities", "座椅完好，无破损脏污", "fac.bench"),
    "bins": ("facilities", "垃圾箱完好，分类标识清楚，不满溢", "fac.bin"),
    "signs": ("facilities", "指示标识齐全完好", "fac.sign"),
    "fire_lane": ("facilities", "消防通道畅通，无占用堵塞", "fac.fire_lane"),
    "nursing_room": ("facilities", "母婴室设置规范，设施齐全", "fac.nursing_room"),
    "accessibility": ("facilities", "无障碍设施完好，无占用", "fac.accessibility"),
    "fence": ("facilities", "施工围挡完好，规范设置公益广告", "site.fence"),
    "volunteer_service": (
        "service",
        "志愿服务站有人员在岗、有服务设施，提供至少三项服务",
        "svc.volunteer",
    ),
    "window_service": ("service", "窗口公示办事流程、收费标准和投诉电话", "svc.window"),
    "no_water": ("environment", "无积水", "env.water"),
    "no_litter": ("environment", "无暴露垃圾、果壳纸屑", "env.litter"),
    "no_butts": ("environment", "无烟头、痰迹", "env.butts"),
    "ads_count": ("atmosphere", "公益广告数量和占比达到要求", "ads.missing"),
    "ads_condition": ("atmosphere", "公益广告无破损、褪色、脏污", "ads.damaged"),
    "health_board": ("atmosphere", "设有健康知识宣传栏", "ads.missing"),
}

_CLEAN = ["no_water", "no_litter", "no_butts"]
_ADS = ["ads_count", "ads_condition"]
_KINDS: dict[str, list[str]] = {
    "main_road": ["road_surface", "street_lamps", "benches", "bins", "signs", "accessibility"],
    "back_alley": ["road_surface", "street_lamps", "bins", "fire_lane"],
    "park_square": [
        "road_surface",
        "street_lamps",
        "benches",
        "bins",
        "signs",
        "accessibility",
        "nursing_room",
    ],
    "cultural_venue": ["signs", "fire_lane", "nursing_room", "accessibility", "bins", "window_service"],
    "service_window": ["signs", "fire_lane", "nursing_room", "accessibility", "window_service"],
    "hospital": ["signs", "fire_lane", "nursing_room", "accessibility", "bins", "window_service"],
    "school": ["road_surface", "signs", "fire_lane", "bins"],
    "residential": ["road_surface", "street_lamps", "benches", "bins", "fire_lane", "accessibility"],
    "construction": ["fence", "road_surface", "fire_lane"],
    "volunteer_station": ["volunteer_service", "signs", "accessibility"],
    "practice_station": ["volunteer_service", "signs", "accessibility"],
}
_HEALTH = {"park_square", "cultural_venue", "hospital", "school", "residential", "practice_station"}


def default_items(site_kind: str) -> list[tuple[str, str, str, str]]:
    """(code, section, text, category) of a kind's default checklist; any other kind gets the common part."""
    codes = list(_KINDS.get(site_kind, ["signs", "bins"])) + _CLEAN + _ADS
    if site_kind in _HEALTH:
        codes.append("health_board")
    return [(code, *ITEMS[code]) for code in codes]


DEFAULT_CHECKLISTS: dict[str, list[tuple[str, str, str, str]]] = {k: default_items(k) for k in _KINDS}
