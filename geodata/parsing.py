"""Map a file's headers to a layer's canonical columns and parse every value, collecting errors."""

import math
import re
from datetime import date

import numpy as np
import pandas as pd

from geodata.errors import ImportRejected, RowError
from geodata.layer_schema import Field, Layer

TRUE_WORDS = {"是", "有", "1", "true", "t", "y", "yes", "√", "✓"}
FALSE_WORDS = {"否", "无", "0", "false", "f", "n", "no", "×", ""}
KIND_LABELS = {"int": "整数", "float": "数字", "bool": "是/否", "date": "日期"}
# Integer columns are counts and years, stored as PostgreSQL integer.
INT_LIMIT = 2**31
_INVALID = object()


def normalise_header(text: str) -> str:
    """Header key: case, spaces, underscores, hyphens, slashes and brackets do not matter."""
    return re.sub(r"[\s_\-/()（）\[\]【】\ufeff]+", "", str(text)).lower()


def match_columns(columns, layer: Layer) -> dict[str, str]:
    """Canonical field name -> the file's header, for every header the layer recognises."""
    keys = {}
    for f in layer.fields:
        for alias in (f.name, f.shp_name, *f.aliases, f.label):
            keys.setdefault(normalise_header(alias), f.name)
    found: dict[str, str] = {}
    errors = []
    for column in columns:
        name = keys.get(normalise_header(column))
        if name is None:
            continue
        if name in found:
            errors.append(RowError(None, column, f"与列“{found[name]}”重复，都表示“{layer.field(name).label}”"))
        else:
            found[name] = column
    if errors:
        raise ImportRejected(errors)
    return found


def _text(value):
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # codes read as numbers from DBF/GeoJSON
    return str(value).strip()


def _int(value):
    number = float(str(value).strip())
    if not number.is_integer() or abs(number) >= INT_LIMIT:
        raise ValueError(value)
    return int(number)


def _float(value):
    number = float(str(value).strip())
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def _bool(value):
    word = str(value).strip().lower()
    if word in TRUE_WORDS or word == "1.0":
        return True
    if word in FALSE_WORDS or word == "0.0":
        return False
    raise ValueError(value)


def _date(value):
    if isinstance(value, date):
        return value if not hasattr(value, "date") else value.date()
    text = re.sub(r"[年月/.]", "-", str(value).strip()).removesuffix("日")
    return date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))


PARSERS = {"text": _text, "int": _int, "float": _float, "bool": _bool, "date": _date}


def _enum_lookup(f: Field) -> dict[str, str]:
    """Key, Chinese label or synonym (ASCII in any case) -> key."""
    lookup = {label: k for k, label in f.choices.items()} | f.synonyms
    return {word.lower(): k for word, k in lookup.items()} | {k.lower(): k for k in f.choices}


def _parse_value(value, f: Field):
    if f.kind == "enum":
        return _enum_lookup(f).get(_text(value).lower(), _INVALID)
    try:
        return PARSERS[f.kind](value)
    except (ValueError, TypeError, OverflowError):
        return _INVALID


def _too_big(raw) -> bool:
    try:
        return abs(float(str(raw).strip())) >= INT_LIMIT
    except ValueError:
        return False


def _invalid_message(f: Field, raw) -> str:
    question = f.questions.get(_text(raw))
    if question:
        return question.format(value=_text(raw))
    if f.kind == "enum":
        return f"“{raw}”无效，可选：{'、'.join(f.choices.values())}"
    if f.kind == "int" and _too_big(raw):
        return f"“{_text(raw)}”超出整数范围（应在 ±{INT_LIMIT - 1} 之内）"
    return f"“{raw}”不是有效的{KIND_LABELS[f.kind]}"


def _blank(raw: pd.Series) -> np.ndarray:
    """True where a cell is missing or only whitespace."""
    blank = raw.isna().to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(raw.dtype):
        return blank
    return blank | (raw.astype("string").str.strip() == "").fillna(False).to_numpy(dtype=bool)


def _parse_present(present: pd.Series, f: Field) -> tuple[list, np.ndarray]:
    """Parsed Python values of non-blank cells and where they are invalid; vectorised when it can be."""
    numeric = pd.api.types.is_numeric_dtype(present.dtype) and not pd.api.types.is_bool_dtype(present.dtype)
    if f.kind == "text" and not numeric:
        return present.astype(str).str.strip().tolist(), np.zeros(len(present), dtype=bool)
    if f.kind == "float":
        numbers = pd.to_numeric(present if numeric else present.astype(str).str.strip(), errors="coerce")
        numbers = numbers.to_numpy(dtype=float)
        return numbers.tolist(), ~np.isfinite(numbers)
    if f.kind == "bool" and pd.api.types.is_bool_dtype(present.dtype):
        return present.tolist(), np.zeros(len(present), dtype=bool)
    # Few distinct values (flags, classes, counts): parse each once.
    parsed = {value: _parse_value(value, f) for value in pd.unique(present)}
    values = [parsed[v] for v in present]
    return values, np.array([v is _INVALID for v in values], dtype=bool)


def parse_column(values: pd.Series, f: Field, header: str) -> tuple[pd.Series, list[RowError]]:
    """Typed Python values (None when blank or bad) of one column, and a RowError per bad or missing value."""
    raw = values.reset_index(drop=True)
    blank = _blank(raw)
    present_rows = np.flatnonzero(~blank)
    parsed, invalid = _parse_present(raw.iloc[present_rows], f)
    out = np.full(len(raw), None, dtype=object)
    out[present_rows] = parsed
    out[present_rows[invalid]] = None
    if f.default is not None:
        out[blank] = f.default  # a 台账 marks only the 是: a blank flag is 否, as the column's default
    errors = [RowError(int(i) + 1, header, _invalid_message(f, raw.iat[i])) for i in present_rows[invalid]]
    if f.required:
        errors += [RowError(int(i) + 1, header, f"缺少必填项“{f.label}”") for i in np.flatnonzero(blank)]
    return pd.Series(out, dtype=object), errors


def parse_frame(frame: pd.DataFrame, layer: Layer) -> tuple[pd.DataFrame, dict[str, str], list[RowError]]:
    """Canonical typed columns of FRAME, the header each came from, and all value errors."""
    headers = match_columns(frame.columns, layer)
    missing = [f for f in layer.fields if f.required and f.name not in headers]
    if missing:
        raise ImportRejected(
            [
                RowError(None, f.name, f"缺少必填列“{f.label}”（可用列名：{'、'.join((f.name, *f.aliases))}）")
                for f in missing
            ]
        )
    columns, errors = {}, []
    # Derived columns (a village code exported alongside) are recomputed on import: recognised, not parsed.
    for name, header in ((n, h) for n, h in headers.items() if not layer.field(n).derived):
        columns[name], column_errors = parse_column(frame[header], layer.field(name), header)
        errors += column_errors
    return pd.DataFrame(columns, index=range(len(frame))), headers, errors


def duplicate_codes(codes: pd.Series, header: str) -> list[RowError]:
    """A RowError for every repeat of a code already used earlier in the file."""
    repeated = codes.notna() & codes.duplicated(keep="first")
    if not repeated.any():
        return []
    first = {code: i for i, code in reversed(list(enumerate(codes)))}
    return [
        RowError(i + 1, header, f"编码“{codes.iat[i]}”在文件中重复（第 {first[codes.iat[i]] + 1} 条已使用）")
        for i in repeated.to_numpy().nonzero()[0]
    ]
