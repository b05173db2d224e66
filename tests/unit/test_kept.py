"""The in-memory store of values by key and data version."""

from gridmgmt.db.kept import Kept


def test_a_value_is_computed_once_per_key():
    kept, computed = Kept(10), []
    for _ in range(3):
        assert kept.get(("a", 1), lambda: computed.append("a1") or "A1") == "A1"
    assert kept.get(("a", 2), lambda: computed.append("a2") or "A2") == "A2"  # a new data version
    assert computed == ["a1", "a2"]


def test_the_least_recently_used_goes_first_by_weight():
    kept, computed = Kept(10, sizeof=len), []

    def value(text):
        return lambda: computed.append(text) or text

    kept.get(("x",), value("xxxx"))
    kept.get(("y",), value("yyyy"))
    kept.get(("x",), value("xxxx"))  # x used last: y goes when z needs room
    kept.get(("z",), value("zzzz"))
    kept.get(("x",), value("xxxx"))
    kept.get(("y",), value("yyyy"))
    assert computed == ["xxxx", "yyyy", "zzzz", "yyyy"]


def test_a_value_heavier_than_the_store_is_served_not_kept():
    kept, computed = Kept(3, sizeof=len), []
    for _ in range(2):
        assert kept.get(("big",), lambda: computed.append(1) or "four") == "four"
    assert computed == [1, 1]
