"""A clean households file copied straight in: a count beyond 64 bits is refused by the database, as text COPY was."""

from tests.integration.test_import import csv_file, rejected, villages  # noqa: F401


def test_a_count_beyond_64_bits_is_the_database_refusal_not_a_crash(villages, tmp_path):  # noqa: F811
    body = "n1,甲,99999999999999999999999,115.69,23.90\nn2,乙,3,115.69,23.90\n"
    path = csv_file(tmp_path, body, header="户编码,户主,人口,经度,纬度\n")
    message = rejected(villages, "households", path)
    assert message == '文件：数据库拒绝写入：value "99999999999999991611392" is out of range for type integer'
