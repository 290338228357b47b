from app.models import Role

REQUIRED = {
    "env.litter",
    "env.water",
    "env.butts",
    "fac.road",
    "fac.lamp",
    "fac.bench",
    "fac.bin",
    "fac.sign",
    "fac.fire_lane",
    "fac.nursing_room",
    "fac.accessibility",
    "ads.missing",
    "ads.damaged",
    "site.fence",
    "svc.volunteer",
    "svc.window",
    "order.vending",
    "order.frontage",
    "traffic.parking",
    "other",
}


def test_catalogue_holds_every_contract_category(client, make_user):
    u = make_user("zhang", Role.grid_worker)
    r = client.get("/api/v1/categories", headers=u["headers"])
    assert r.status_code == 200
    rows = {c["code"]: c for c in r.json()}
    assert rows.keys() >= REQUIRED
    assert rows["env.litter"]["name"] == "暴露垃圾、果壳纸屑"
    assert rows["env.litter"]["deadline_hours"] == 4
    assert rows["env.litter"]["deadline_unit"] == "work_hours"
    # a working day is the length of the working calendar's day: 3.5 + 4 hours by default
    assert rows["fac.bin"]["deadline_hours"] == 7.5
    assert all(c["group"] for c in r.json())


def test_categories_need_a_token(client):
    assert client.get("/api/v1/categories").status_code == 401
