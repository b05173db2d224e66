"""A count too big for the integer column is a row error of the file, whichever way the rows would be written."""

from tests.integration.test_import import csv_file, load, rejected, villages  # noqa: F401

HEADER = "户编码,户主,人口,经度,纬度\n"
HUGE = "99999999999999999999999"


def test_a_count_beyond_the_integer_column_is_a_row_error_of_a_clean_file(villages, tmp_path):  # noqa: F811
    path = csv_file(tmp_path, f"n1,甲,{HUGE},115.69,23.90\nn2,乙,3,115.69,23.90\n", header=HEADER)
    message = rejected(villages, "households", path)
    assert "超出整数范围" in message and "第 1 条" in message, message


def test_a_count_beyond_the_integer_column_is_a_row_error_when_updating(villages, tmp_path):  # noqa: F811
    load(villages, "households", csv_file(tmp_path, "n1,甲,2,115.69,23.90\n", header=HEADER, name="a.csv"))
    path = csv_file(tmp_path, f"n1,甲,2,115.69,23.90\nn2,乙,-{HUGE},115.69,23.90\n", header=HEADER, name="b.csv")
    message = rejected(villages, "households", path)
    assert "超出整数范围" in message and "第 2 条" in message, message
