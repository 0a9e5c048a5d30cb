"""The demo county: townships, schools, grids and risk points (演示县)."""

from typing import NamedTuple


class DemoPoint(NamedTuple):
    """One risk point of a demo school."""

    name: str          # e.g. "教学楼一楼东侧灭火器"
    location: str      # e.g. "教学楼1层东楼梯口"
    category: str      # one of the 11 checklist category keys
    level: str         # "red" | "orange" | "yellow" | "blue"
    responsible: str   # a person's name, e.g. "王建国"
    grid: int          # index into the school's grids list (0-based)


class DemoSchool(NamedTuple):
    """A demo school with its grids and points."""

    name: str
    grids: tuple[str, ...]   # e.g. ("教学区网格", "生活区网格", "校园周边网格")
    points: tuple[DemoPoint, ...]


COUNTY = "演示县"

# 城关镇 ------------------------------------------------------------------

# A boarding middle school in the county seat: dormitories, canteen, school bus,
# a river to the south.
_DIYI_ZHONGXUE = DemoSchool(
    "演示县第一中学",
    ("教学区网格", "生活区网格", "校园周边网格"),
    (
        DemoPoint("教学楼一楼东侧灭火器", "教学楼1层东楼梯口",
                  "fire", "yellow", "王建国", 0),
        DemoPoint("消防控制室", "行政楼1层西侧",
                  "fire", "orange", "张志强", 0),
        DemoPoint("教学区配电房", "教学楼北侧配电房",
                  "electrical", "orange", "刘海涛", 0),
        DemoPoint("教学楼楼梯及走廊栏杆", "教学楼东、西楼梯间及各层走廊",
                  "building", "yellow", "王建国", 0),
        DemoPoint("实验楼化学药品室", "实验楼2层化学准备室",
                  "other", "orange", "陈丽华", 0),
        DemoPoint("运动场单双杠", "运动场东侧器材区",
                  "playground", "blue", "赵永刚", 0),
        DemoPoint("篮球场篮球架", "篮球场（运动场北侧）",
                  "playground", "blue", "赵永刚", 0),
        DemoPoint("教学楼前花坛", "教学楼南侧广场",
                  "other", "blue", "陈丽华", 0),
        DemoPoint("男生宿舍楼疏散通道", "男生宿舍楼1-5层楼梯及出口",
                  "dormitory", "red", "李秀英", 1),
        DemoPoint("女生宿舍楼疏散通道", "女生宿舍楼1-5层楼梯及出口",
                  "dormitory", "red", "李秀英", 1),
        DemoPoint("男生宿舍烟感报警器", "男生宿舍楼各寝室",
                  "dormitory", "orange", "李秀英", 1),
        DemoPoint("宿舍楼配电箱", "女生宿舍楼1层楼梯间",
                  "electrical", "yellow", "刘海涛", 1),
        DemoPoint("食堂操作间燃气", "食堂1层操作间",
                  "canteen", "red", "张志强", 1),
        DemoPoint("食堂食品库房", "食堂1层东侧库房",
                  "canteen", "orange", "张志强", 1),
        DemoPoint("食堂留样柜", "食堂1层备餐间",
                  "canteen", "yellow", "张志强", 1),
        DemoPoint("学校正门交通及防冲撞设施", "学校正门（城关镇解放路）",
                  "gate", "red", "赵永刚", 2),
        DemoPoint("门卫室", "学校正门东侧门卫室",
                  "gate", "orange", "赵永刚", 2),
        DemoPoint("北侧围墙", "校园北侧围墙全段",
                  "fence", "yellow", "刘海涛", 2),
        DemoPoint("校车停靠点", "学校东门外停车区",
                  "school_bus", "orange", "陈丽华", 2),
        DemoPoint("学校南侧河道", "校园南侧约200米城南河段",
                  "water", "red", "王建国", 2),
    ),
)

# A day primary school in town: no dormitory, lunch served from a serving room.
_CHENGGUAN_XIAOXUE = DemoSchool(
    "城关小学",
    ("教学区网格", "运动区网格", "校门周边网格"),
    (
        DemoPoint("教学楼一楼西侧灭火器", "教学楼1层西楼梯口",
                  "fire", "yellow", "孙丽萍", 0),
        DemoPoint("教学楼二楼消火栓", "教学楼2层走廊东端",
                  "fire", "yellow", "孙丽萍", 0),
        DemoPoint("教学楼安全出口及楼梯", "教学楼东、西楼梯及1层出口",
                  "fire", "orange", "周振华", 0),
        DemoPoint("配电房", "教学楼西侧配电房",
                  "electrical", "orange", "马国庆", 0),
        DemoPoint("计算机教室电气线路", "教学楼4层计算机教室",
                  "electrical", "yellow", "马国庆", 0),
        DemoPoint("学生午餐配餐间", "综合楼1层配餐间",
                  "canteen", "orange", "吴桂芳", 0),
        DemoPoint("教学楼走廊栏杆", "教学楼2-4层走廊",
                  "building", "yellow", "周振华", 0),
        DemoPoint("教学楼厕所", "教学楼各层东侧厕所",
                  "building", "blue", "吴桂芳", 0),
        DemoPoint("楼梯拐角及厕所隐蔽角落", "教学楼各层楼梯拐角、厕所门口",
                  "other", "yellow", "周振华", 0),
        DemoPoint("视频监控室", "行政楼1层监控室",
                  "other", "orange", "马国庆", 0),
        DemoPoint("滑梯及攀爬架", "操场西北角游戏区",
                  "playground", "blue", "孙丽萍", 1),
        DemoPoint("操场单双杠", "操场东侧器材区",
                  "playground", "blue", "孙丽萍", 1),
        DemoPoint("塑胶跑道", "操场200米跑道",
                  "playground", "blue", "孙丽萍", 1),
        DemoPoint("操场北侧花坛", "操场北侧绿化带",
                  "other", "blue", "吴桂芳", 1),
        DemoPoint("东侧围墙", "操场东侧围墙全段",
                  "fence", "yellow", "马国庆", 1),
        DemoPoint("学校正门交通及防冲撞设施", "学校正门（城关镇人民路）",
                  "gate", "red", "周振华", 2),
        DemoPoint("门卫室", "学校正门西侧门卫室",
                  "gate", "orange", "周振华", 2),
        DemoPoint("放学接送区", "学校正门外人民路东侧接送区",
                  "gate", "orange", "孙丽萍", 2),
    ),
)

# 河西乡 ------------------------------------------------------------------

# A rural central primary school with a small boarding section, a school bus
# and a pond behind the school.
_HEXI_ZHONGXIN_XIAOXUE = DemoSchool(
    "河西中心小学",
    ("教学区网格", "生活区网格", "校园周边网格"),
    (
        DemoPoint("教学楼灭火器", "教学楼1-3层楼梯口",
                  "fire", "yellow", "杨明辉", 0),
        DemoPoint("配电房", "教学楼东侧配电房",
                  "electrical", "orange", "黄德胜", 0),
        DemoPoint("教学楼楼梯栏杆", "教学楼东、西楼梯间",
                  "building", "yellow", "杨明辉", 0),
        DemoPoint("老教学楼（已停用）", "校园西北角老教学楼",
                  "building", "orange", "黄德胜", 0),
        DemoPoint("一键报警装置", "门卫室及校长办公室",
                  "other", "orange", "杨明辉", 0),
        DemoPoint("操场篮球架", "操场南侧篮球场",
                  "playground", "blue", "何秀兰", 0),
        DemoPoint("乒乓球台", "教学楼东侧乒乓球区",
                  "playground", "blue", "何秀兰", 0),
        DemoPoint("学生宿舍疏散通道", "学生宿舍楼1-3层楼梯及出口",
                  "dormitory", "red", "何秀兰", 1),
        DemoPoint("学生宿舍烟感报警器", "学生宿舍楼各寝室",
                  "dormitory", "orange", "何秀兰", 1),
        DemoPoint("食堂液化气瓶间", "食堂北侧液化气瓶间",
                  "canteen", "red", "黄德胜", 1),
        DemoPoint("食堂食品库房", "食堂1层西侧库房",
                  "canteen", "yellow", "郭春燕", 1),
        DemoPoint("开水房电热水器", "宿舍楼北侧开水房",
                  "electrical", "yellow", "黄德胜", 1),
        DemoPoint("学校大门交通及防冲撞设施", "学校大门（河西乡乡道旁）",
                  "gate", "red", "杨明辉", 2),
        DemoPoint("西侧围墙", "校园西侧围墙全段",
                  "fence", "yellow", "黄德胜", 2),
        DemoPoint("校后水塘", "学校北侧约100米水塘",
                  "water", "red", "杨明辉", 2),
        DemoPoint("校车停靠点", "学校大门东侧校车停靠点",
                  "school_bus", "orange", "郭春燕", 2),
        DemoPoint("校门两侧花坛", "学校大门内两侧",
                  "other", "blue", "郭春燕", 2),
    ),
)

# A rural boarding junior middle school next to the Hexi reservoir.
_HEXI_CHUJI_ZHONGXUE = DemoSchool(
    "河西初级中学",
    ("教学区网格", "生活区网格", "校园周边网格"),
    (
        DemoPoint("教学楼灭火器", "教学楼1-4层楼梯口",
                  "fire", "yellow", "徐卫东", 0),
        DemoPoint("实验室危化品柜", "实验楼1层化学实验准备室",
                  "other", "orange", "林晓燕", 0),
        DemoPoint("配电房", "实验楼北侧配电房",
                  "electrical", "orange", "朱建军", 0),
        DemoPoint("教学楼外墙及屋面", "教学楼外立面及4层屋面",
                  "building", "yellow", "朱建军", 0),
        DemoPoint("篮球架", "操场西侧篮球场",
                  "playground", "blue", "徐卫东", 0),
        DemoPoint("单双杠", "操场南侧器材区",
                  "playground", "blue", "徐卫东", 0),
        DemoPoint("教学楼前花坛", "教学楼南侧",
                  "other", "blue", "林晓燕", 0),
        DemoPoint("男生宿舍疏散通道", "男生宿舍楼1-4层楼梯及出口",
                  "dormitory", "red", "高志明", 1),
        DemoPoint("女生宿舍窗户及宿舍门", "女生宿舍楼各寝室",
                  "dormitory", "orange", "林晓燕", 1),
        DemoPoint("食堂操作间燃气", "食堂1层操作间",
                  "canteen", "red", "高志明", 1),
        DemoPoint("食堂留样柜", "食堂1层备餐间",
                  "canteen", "yellow", "高志明", 1),
        DemoPoint("宿舍楼热水器", "男生宿舍楼1层洗漱间",
                  "electrical", "yellow", "朱建军", 1),
        DemoPoint("校门口交通及防冲撞设施", "学校正门（河西乡政府路口）",
                  "gate", "red", "徐卫东", 2),
        DemoPoint("河西水库", "学校北侧约500米河西水库",
                  "water", "red", "高志明", 2),
        DemoPoint("围墙外灌溉渠", "学校东侧围墙外灌溉渠",
                  "water", "orange", "朱建军", 2),
        DemoPoint("校车停靠点", "学校正门西侧校车停靠点",
                  "school_bus", "orange", "林晓燕", 2),
        DemoPoint("南侧围墙", "校园南侧围墙全段",
                  "fence", "yellow", "朱建军", 2),
    ),
)

TOWNSHIPS: dict[str, tuple[DemoSchool, ...]] = {
    "城关镇": (_DIYI_ZHONGXUE, _CHENGGUAN_XIAOXUE),
    "河西乡": (_HEXI_ZHONGXIN_XIAOXUE, _HEXI_CHUJI_ZHONGXUE),
}
