"""CLI tables line up in a terminal, where a Chinese character takes two columns."""

import pandas as pd

from gridmgmt.cli.layout import columns
from gridmgmt.cli.tables import table_text


def test_columns_line_up_under_chinese_headers_and_names():
    frame = pd.DataFrame({"名称": ["自动划分", "a"], "边界画法": ["按农户就近（旧画法）", "file"], "网格": [80, 3]})
    lines = table_text(frame).splitlines()
    # Every line ends at the same terminal column, and the numbers sit under their header's last column.
    assert len({columns(line) for line in lines}) == 1
    assert {columns(line[: line.rindex(str(n)) + len(str(n))]) for line, n in zip(lines[1:], (80, 3))} == {
        columns(lines[0])
    }
