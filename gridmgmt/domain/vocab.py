"""Controlled vocabularies from the glossary, with their Chinese labels."""

ROAD_CLASSES = {
    "national": "国道",
    "provincial": "省道",
    "county": "县道",
    "township": "乡道",
    "village": "村道",
}

# 水系: the kinds of water body a township's water layer holds (lines or polygons).
WATER_KINDS = {
    "river": "河流",
    "canal": "沟渠",
    "pond": "坑塘",
    "reservoir": "水库",
    "lake": "湖泊",
}

ORG_TYPES = {
    "party_committee": "党委",
    "general_branch": "党总支",
    "branch": "党支部",
    "party_group": "党小组",
    "temporary_branch": "临时党支部",
}

ORG_FIELDS = {
    "rural": "农村",
    "community": "社区",
    "enterprise": "企业",
    "agency": "机关",
    "school_hospital": "学校医院",
}

# The eight items of 八有, in the order of the standard (002, 第一篇).
EIGHT_HAVES = {
    "has_standard_venue": "标准场所",
    "has_signage": "规范标识",
    "has_activity_room": "党员活动室",
    "has_service_center": "便民服务中心",
    "has_office": "综合办公室",
    "has_library": "农家书屋",
    "has_outdoor_space": "室外活动场地/健身广场",
    "has_notice_board": "公开栏",
}

# The six items of 六有, the 机关 party venue standard (002, 第四篇 三(三)).
SIX_HAVES = {
    "has_flag_and_rules": "党旗及各项规章制度",
    "has_furniture": "桌椅、档案柜",
    "has_archives": "档案资料",
    "has_study_corner": "党员学习园地及党(政)务公开栏",
    "has_av_equipment": "电教设备",
    "has_study_materials": "党报、党刊、电教片等学习资料",
}

MEMBER_STATUSES = {"full": "正式党员", "probationary": "预备党员"}

CADRE_ROLES = {
    "township_secretary": "镇党委书记",
    "township_leader": "镇班子成员",
    "township_cadre": "镇干部",
    "village_secretary": "村党组织书记",
    "village_cadre": "村干部",
    "first_secretary": "第一书记",
    "work_team": "工作队员",
    "grid_worker": "网格员",
}

# Postings of a cadre to a village (cadre_village.assignment).
ASSIGNMENTS = {
    "bao_cun": "包村",
    "gua_dian": "挂点",
    "first_secretary": "第一书记驻村",
    "work_team": "驻村工作队",
}

# 四必访 flags: sensitive personal information (PIPL art. 28).
MUST_VISIT_FLAGS = {
    "hardship": "困难家庭",
    "critically_ill": "危重病人家庭",
    "empty_nest_elderly": "空巢老人家庭",
    "left_behind_children": "留守儿童家庭",
    "petitioner": "信访户",
}

EVENT_TYPES = {
    "grievance": "不满情绪",
    "emergency": "突发事件",
    "dispute": "矛盾纠纷",
    "bereavement_hardship": "丧事难事",
}
EVENT_STATUSES = {"reported": "已上报", "attended": "已到场", "closed": "已办结"}

VISIT_KINDS = {"routine": "日常走访", "must_visit": "必访", "event": "事件到场"}

ECONOMIC_ORG_KINDS = {"enterprise": "企业", "cooperative": "合作社"}

PLAN_STATUSES = {"draft": "草稿", "published": "已发布", "archived": "已归档"}

# How a plan's cell outlines were drawn. "households": each household's Voronoi region over the whole
# village, as allocations were drawn before 2026-12-07, so outlines cross the 村民小组 lines.
PLAN_OUTLINES = {"groups": "沿村民小组界线", "households": "按农户就近（旧画法）", "file": "导入的网格边界"}

DEMO_SITE_STATUSES = {
    "applied": "申报",
    "preliminary": "初审",
    "inspected": "实地验收",
    "awarded": "授牌",
    "rectifying": "限期整改",
    "revoked": "摘牌",
    "returned": "退回整改",
    "failed": "不通过",
    "withdrawn": "已撤回",
}
DEMO_SITE_THEMES = {
    "industry": "特色产业",
    "beautiful_village": "美丽乡村",
    "safety": "平安建设",
    "service": "便民惠民",
}

ROLES = {
    "admin": "系统管理员",
    "planner": "镇党委/组织委员",
    "reviewer": "示范点评审",
    "grid_worker": "网格员",
    "leader": "领导（只读）",
}

# The steps of a demo site's review (domain.site_review.STEPS), by the name a reviewer gives them.
REVIEW_STEPS = {
    "apply": "申报",
    "preliminary": "初审",
    "inspect": "实地验收",
    "award": "授牌",
    "keep": "复审保留",
    "rectify": "限期整改",
    "revoke": "摘牌",
    "return": "退回整改",
    "fail": "不通过",
    "undo": "撤销上一步",
}

# Output formats, by the name users know them by (file formats keep their own names).
FORMATS = {
    "table": "表格",
    "json": "JSON",
    "xlsx": "Excel",
    "csv": "CSV",
    "gpkg": "GeoPackage",
    "geojson": "GeoJSON",
    "shp": "Shapefile",
    "png": "PNG",
    "pdf": "PDF",
    "html": "网页",
}

# How much the demo generator makes.
DEMO_SCALES = {"township": "一个镇", "county": "一个县", "city": "一个市"}
