"""Header mapping and value parsing for the import layers."""

from datetime import date

import pandas as pd
import pytest

from geodata.errors import ImportRejected
from geodata.layers import LAYERS
from geodata.parsing import duplicate_codes, match_columns, parse_frame

HOUSEHOLDS = LAYERS["households"]


def test_chinese_english_and_shapefile_headers_are_recognised():
    headers = match_columns(["户编码", "户主", "Member Count", "crit_ill", "经度", "Latitude", "备注"], HOUSEHOLDS)
    assert headers == {
        "code": "户编码",
        "head": "户主",
        "member_count": "Member Count",
        "critically_ill": "crit_ill",
        "lon": "经度",
        "lat": "Latitude",
    }


def test_two_headers_for_one_field_are_refused():
    with pytest.raises(ImportRejected) as info:
        match_columns(["编码", "code", "户主"], HOUSEHOLDS)
    assert "重复" in str(info.value.errors[0])


def test_values_are_typed_and_every_bad_value_is_reported():
    frame = pd.DataFrame(
        {
            "户编码": ["a", "b", "c", None],
            "户主": ["张三", "", "李四", "王五"],
            "人口": ["3", "x", 2.0, None],
            "困难家庭": ["是", "N", "maybe", True],
        }
    )
    values, _, errors = parse_frame(frame, HOUSEHOLDS)
    assert values["member_count"].tolist() == [3, None, 2, 1]  # blank: the column's default
    assert values["hardship"].tolist() == [True, False, None, True]
    assert sorted((e.row, e.field) for e in errors) == [(2, "人口"), (2, "户主"), (3, "困难家庭"), (4, "户编码")]
    assert any("“x”不是有效的整数" in str(e) for e in errors)


def test_a_blank_cell_takes_the_column_default_and_a_bad_one_stays_an_error():
    frame = pd.DataFrame({"户编码": ["a", "b"], "户主": ["甲", "乙"], "困难家庭": [None, " "], "人口": ["", "两"]})
    values, _, errors = parse_frame(frame, HOUSEHOLDS)
    assert values["hardship"].tolist() == [False, False]
    assert values["member_count"].tolist() == [1, None]
    assert [(e.row, e.field) for e in errors] == [(2, "人口")]


def test_missing_required_column_is_a_file_error():
    with pytest.raises(ImportRejected) as info:
        parse_frame(pd.DataFrame({"户主": ["张三"]}), HOUSEHOLDS)
    assert "缺少必填列“编码”" in str(info.value.errors[0])


def test_enums_accept_keys_labels_and_synonyms():
    frame = pd.DataFrame(
        {
            "党员编号": ["1", "2", "3"],
            "姓名": ["甲", "乙", "丙"],
            "党组织编码": ["o"] * 3,
            "党员类型": ["预备", "full", "正式党员"],
            "性别": ["女", "M", "未知"],
            "入党日期": ["2001年7月1日", "2001/7/1", "2001-07-01"],
        }
    )
    values, _, errors = parse_frame(frame, LAYERS["party_members"])
    assert values["status"].tolist() == ["probationary", "full", "full"]
    assert values["gender"].tolist() == ["女", "男", None]
    assert values["joined_on"].tolist() == [date(2001, 7, 1)] * 3
    assert [(e.row, e.field) for e in errors] == [(3, "性别")]


def test_numeric_codes_keep_their_digits():
    values, _, _ = parse_frame(pd.DataFrame({"code": [449900101001.0], "name": ["东岭村"]}), LAYERS["villages"])
    assert values["code"].tolist() == ["449900101001"]


def test_duplicate_codes_name_the_first_use():
    errors = duplicate_codes(pd.Series(["a", "b", "a", "a"]), "编码")
    assert [(e.row, e.message) for e in errors] == [
        (3, "编码“a”在文件中重复（第 1 条已使用）"),
        (4, "编码“a”在文件中重复（第 1 条已使用）"),
    ]


def test_an_integer_beyond_the_stored_column_is_reported_as_out_of_range():
    frame = pd.DataFrame(
        {"户编码": ["a", "b", "c"], "户主": ["甲", "乙", "丙"], "人口": ["2147483647", "2147483648", "-3e30"]}
    )
    values, _, errors = parse_frame(frame, HOUSEHOLDS)
    assert values["member_count"].tolist() == [2147483647, None, None]
    assert [(e.row, e.field) for e in errors] == [(2, "人口"), (3, "人口")]
    assert all("超出整数范围" in str(e) for e in errors)
