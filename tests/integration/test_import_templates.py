"""Each layer's Excel template, filled in with openpyxl as a clerk would, imports as it is."""

from io import BytesIO

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import text

from geodata.errors import ImportRejected
from geodata.layers import LAYERS
from geodata.templates import NOTES_SHEET, template_workbook
from gridmgmt.cli import main
from gridmgmt.services.accounts.audit import Actor
from gridmgmt.services.imports import import_layer
from tests.filled_templates import ROWS, TABLES, TOWN, filled


def test_every_layer_has_a_template_with_notes_and_an_example():
    for name, layer in LAYERS.items():
        book = load_workbook(BytesIO(template_workbook(name)))
        data, notes = book.worksheets
        assert notes.title == NOTES_SHEET
        assert all(cell.value for cell in data[1]) and any(cell.value for cell in data[2])
        listed = {row[0].value for row in notes.iter_rows()}
        assert {cell.value for cell in data[1]} <= listed, name
        enums = [f for f in layer.fields if f.kind == "enum"]
        text_of_notes = " ".join(str(c.value) for row in notes.iter_rows() for c in row if c.value)
        assert all(label in text_of_notes for f in enums for label in f.choices.values()), name


def test_filled_templates_import_unchanged_in_order(session, tmp_path):
    assert list(ROWS) == list(LAYERS)  # every layer, in the documented order
    for name in ROWS:
        town = None if name == "townships" else TOWN
        try:
            result = import_layer(session, name, filled(name, tmp_path), township=town, actor=Actor("t"))
        except ImportRejected as refused:
            pytest.fail(f"{name}: {'; '.join(map(str, refused.errors))}")
        assert (result.inserted, result.updated, result.ignored_columns) == (2, 0, []), name
        count = session.execute(text(f"SELECT count(*) FROM {TABLES[name]}")).scalar_one()
        assert count == 2, name
    hardship = session.execute(text("SELECT hardship FROM household WHERE code = 'H1'")).scalar_one()
    joined = session.execute(text("SELECT joined_on::text FROM party_member WHERE code = 'P1'")).scalar_one()
    assert (hardship, joined) == (True, "2001-07-01")


@pytest.mark.parametrize("layer_name", ["villages", "cadres"])
def test_the_template_command_writes_the_same_workbook(tmp_path, layer_name):
    out = tmp_path / "t.xlsx"
    result = CliRunner().invoke(main, ["import", "template", layer_name, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert load_workbook(out).worksheets[0]["A1"].value == "编码"
