"""Chinese names for a Hakka hill county: townships, villages, groups, people, firms."""

import numpy as np

# Surnames common in the Hakka counties of 河源/梅州, roughly by frequency.
SURNAMES = np.array(list("黄李陈张刘曾邓叶朱罗钟赖古廖温丘谢杨林何吴徐彭骆巫"))
_SURNAME_WEIGHTS = np.array([12, 10, 9, 8, 8, 6, 5, 5, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 1, 1], float)
SURNAME_P = _SURNAME_WEIGHTS / _SURNAME_WEIGHTS.sum()

_MALE = list("伟强军华明国建平志文东海荣金德福贵财发生清林新春光辉永运胜冠育添祥源振兴汉传")
_FEMALE = list("芳秀英兰梅玉珍娟丽凤红霞莲桂群妹娇燕琴萍青香银招彩")

_PLACE_HEADS = list("上下新老大小东西南北石黄龙凤竹松梅桂塘田岭坑湖水高长联和福安太平三九白")
_PLACE_TAILS = list("坪塘岭坑田湖溪山陂寨围坝洞径岗口背头峰埔")
_GROUP_PLACES = [
    "上屋",
    "下屋",
    "新屋",
    "老屋",
    "围龙",
    "岗背",
    "坑口",
    "塘尾",
    "田心",
    "水口",
    "岭脚",
    "石坑",
    "上围",
    "下围",
    "竹园",
    "松林",
    "坝尾",
    "河唇",
    "井头",
    "陂头",
    "社背",
    "桥头",
    "大坪",
    "角塘",
    "牛栏坑",
    "禾坪",
    "榕树下",
    "高陂",
    "园墩",
    "枫树坝",
]
PRODUCTS = [
    "茶叶",
    "猕猴桃",
    "脐橙",
    "百香果",
    "腐竹",
    "稻米",
    "油茶",
    "蜂蜜",
    "生猪",
    "竹木",
    "米粉",
    "客家娘酒",
    "花卉",
    "肉鸡",
    "鱼苗",
    "蔬菜",
]
_FIRM_KINDS = ["有限公司", "实业有限公司", "食品有限公司", "农业发展有限公司"]
_COOP_KINDS = ["专业合作社", "种植专业合作社", "养殖专业合作社"]


def place_names(rng: np.random.Generator, n: int, suffix: str) -> list[str]:
    """N distinct two-character place names ending in SUFFIX, e.g. 上坪村."""
    pairs = np.array([h + t for h in _PLACE_HEADS for t in _PLACE_TAILS if h != t])
    return [p + suffix for p in rng.choice(pairs, size=n, replace=False)]


def group_names(rng: np.random.Generator, n: int) -> tuple[list[str], list[str | None]]:
    """N distinct group names (黄屋组, 上围组…) and the clan surname each one implies."""
    clans = rng.choice(SURNAMES[:16], size=min(n, 16), replace=False)
    candidates = [(s + "屋组", s) for s in clans]
    candidates += [(p + "组", None) for p in rng.choice(_GROUP_PLACES, size=n, replace=False)]
    picked = rng.choice(len(candidates), size=n, replace=False)
    return [candidates[i][0] for i in picked], [candidates[i][1] for i in picked]


def person_names(rng: np.random.Generator, surnames: np.ndarray, female: np.ndarray) -> np.ndarray:
    """Given names for people with SURNAMES; FEMALE marks who gets a female given name."""
    n = len(surnames)
    first = np.where(female, rng.choice(_FEMALE, n), rng.choice(_MALE, n))
    second = np.where(female, rng.choice(_FEMALE, n), rng.choice(_MALE, n))
    two_chars = rng.random(n) < 0.8
    given = np.where(two_chars, np.char.add(first, second), first)
    return np.char.add(surnames.astype(str), given)


def random_surnames(rng: np.random.Generator, n: int) -> np.ndarray:
    """N surnames drawn with Hakka-area frequencies."""
    return rng.choice(SURNAMES, size=n, p=SURNAME_P)


def firm_name(rng: np.random.Generator, place: str, cooperative: bool) -> str:
    """An enterprise (和平县…有限公司) or co-op (…专业合作社) name tied to PLACE."""
    product = rng.choice(PRODUCTS)
    if cooperative:
        return f"和平县{place}{product}{rng.choice(_COOP_KINDS)}"
    return f"和平县{place}{product}{rng.choice(_FIRM_KINDS)}"


def phones(rng: np.random.Generator, n: int) -> list[str]:
    """N mobile numbers of the 13x/15x/18x ranges."""
    prefix = rng.choice(["138", "139", "135", "137", "150", "159", "182", "188"], n)
    return [p + f"{d:08d}" for p, d in zip(prefix, rng.integers(0, 10**8, n))]
