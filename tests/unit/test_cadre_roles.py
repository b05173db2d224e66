"""Roster 职务 words: each names one cadre role; a bare “书记” is asked about, never guessed (issue 13)."""

import pandas as pd

from geodata.layers import LAYERS
from geodata.parsing import parse_frame
from geodata.roster_layers import CADRE_ROLE_WORDS
from gridmgmt.domain.vocab import CADRE_ROLES

CADRES = LAYERS["cadres"]


def _roles(*words: str):
    frame = pd.DataFrame({"干部编号": [f"C{i}" for i in range(len(words))], "姓名": ["某"] * len(words), "职务": words})
    values, _, errors = parse_frame(frame, CADRES)
    return values["cadre_role"].tolist(), errors


def test_every_role_of_the_roster_has_its_label_and_import_words():
    assert set(CADRE_ROLES) == {
        "township_secretary",
        "township_leader",
        "township_cadre",
        "village_secretary",
        "village_cadre",
        "grid_worker",
        "work_team",
        "first_secretary",
    }
    assert CADRE_ROLES["village_secretary"] == "村党组织书记"
    assert set(CADRE_ROLE_WORDS.values()) <= set(CADRE_ROLES)
    assert not set(CADRE_ROLE_WORDS) & set(CADRE_ROLES.values()), "a label is its own word"


def test_secretaries_of_the_township_the_village_and_first_secretaries_are_told_apart():
    roles, errors = _roles(
        "镇党委书记", "村党组织书记", "村党支部书记", "村支书", "社区书记", "第一书记", "驻村第一书记"
    )
    assert errors == []
    assert roles == [
        "township_secretary",
        "village_secretary",
        "village_secretary",
        "village_secretary",
        "village_secretary",
        "first_secretary",
        "first_secretary",
    ]


def test_other_roster_words():
    words = (
        "镇领导班子成员",
        "副镇长",
        "纪委书记",
        "镇干部",
        "村干部",
        "村委委员",
        "网格员",
        "驻村工作队员",
        "工作队员",
    )
    roles, errors = _roles(*words)
    assert errors == []
    assert roles == [
        "township_leader",
        "township_leader",
        "township_leader",
        "township_cadre",
        "village_cadre",
        "village_cadre",
        "grid_worker",
        "work_team",
        "work_team",
    ]


def test_a_bare_secretary_is_refused_with_a_question():
    roles, errors = _roles("书记", "副书记", "村党组织书记")
    assert roles == [None, None, "village_secretary"]
    assert [(e.row, e.field) for e in errors] == [(1, "职务"), (2, "职务")]
    message = str(errors[0])
    assert "“书记”不明确" in message and "镇党委书记" in message and "村党组织书记" in message and "？" in message


def test_an_unknown_role_lists_the_choices():
    _, errors = _roles("队长")
    assert "“队长”无效" in str(errors[0]) and "村党组织书记" in str(errors[0])
