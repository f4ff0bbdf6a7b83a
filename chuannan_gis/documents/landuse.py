"""The 三调 地类 grouped as 报批 texts state them: 农用地 (with 耕地 apart), 建设用地, 未利用地.

The grouping follows the 三大类 of 《土地管理法》 as GB/T 21010-2017 《土地利用现状分类》 relates
its classes to them (its table of 三大类对照: 农用地 = 耕地, 园地, 林地, 草地 but 其他草地, 农村道路,
坑塘水面, 沟渠, 设施农用地, 田坎; 建设用地 = 商服, 工矿, 住宅, 公共管理与公共服务, 特殊用地,
交通运输 but 农村道路, 水库水面, 水工建筑用地, 空闲地; the rest 未利用地).  Checked 2026-12-08
against a secondary copy of that table only; the 三调 工作分类's own 表 A.4 (its 湿地 codes
0303/0304/0306/0402/0603/1105/1106/1108 and the 三调 suffixes such as 1104A, 0307K) was not
retrieved: they are placed with their GB/T 21010 二级类.  A code not known here is shown as
``未归类`` (unclassified), never put in a group by guess.
"""

from __future__ import annotations

FARMLAND_CODES = ("0101", "0102", "0103")  # 耕地: 水田, 水浇地, 旱地
# the order and names of the 小计 rows; 耕地 is a part of 农用地, shown apart as 报批 texts do
GROUPS = {"farm": "农用地", "cultivated": "其中耕地", "construction": "建设用地", "unused": "未利用地"}
_BY_FIRST_LEVEL = {
    "01": "farm",
    "02": "farm",
    "03": "farm",
    "04": "farm",
    "05": "construction",
    "06": "construction",
    "07": "construction",
    "08": "construction",
    "09": "construction",
    "10": "construction",
}
_BY_CODE = {
    "0404": "unused",  # 其他草地
    "1006": "farm",  # 农村道路
    "1101": "unused",
    "1102": "unused",
    "1103": "construction",  # 水库水面
    "1104": "farm",  # 坑塘水面 (1104A 养殖坑塘, 1104K 可调整养殖坑塘)
    "1105": "unused",
    "1106": "unused",
    "1107": "farm",  # 沟渠 (1107A 干渠)
    "1108": "unused",
    "1109": "construction",  # 水工建筑用地
    "1110": "unused",
    "1201": "construction",  # 空闲地
    "1202": "farm",  # 设施农用地
    "1203": "farm",  # 田坎
    "1204": "unused",
    "1205": "unused",
    "1206": "unused",
    "1207": "unused",
}


def land_group(code) -> tuple[str, ...] | str:
    """The 小计 groups a 地类编码 counts in: ('farm', 'cultivated') for 耕地, 'farm', 'construction',
    'unused', or 'unclassified'.

    >>> land_group("0103"), land_group("1104A"), land_group("1103"), land_group("1101"), land_group("9999")
    (('farm', 'cultivated'), 'farm', 'construction', 'unused', 'unclassified')
    """
    code = str(code or "").strip().upper()
    if code[:4] in FARMLAND_CODES:
        return ("farm", "cultivated")
    group = _BY_CODE.get(code[:4]) or _BY_FIRST_LEVEL.get(code[:2])
    return group or "unclassified"


__all__ = ["FARMLAND_CODES", "GROUPS", "land_group"]
