"""Import errors reported per row, in Chinese, all at once."""

from dataclasses import dataclass

from gridmgmt.domain.errors import UserError


@dataclass(frozen=True)
class RowError:
    """One problem: ROW is the 1-based record number (None for the whole file)."""

    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = "文件" if self.row is None else f"第 {self.row} 条"
        column = f"［{self.field}］" if self.field else ""
        return f"{where}{column}：{self.message}"


class ImportRejected(UserError):
    """The file was refused and nothing was written; ERRORS says why, row by row."""

    def __init__(self, errors: list[RowError]):
        self.errors = sorted(errors, key=lambda e: (e.row or 0, e.field or ""))
        super().__init__(f"导入被拒绝：{len(self.errors)} 处错误，未写入任何数据")

    @classmethod
    def one(cls, message: str, field: str | None = None) -> "ImportRejected":
        """A rejection of the whole file for one reason."""
        return cls([RowError(None, field, message)])
