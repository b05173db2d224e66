"""Noto Sans CJK SC (Debian fonts-noto-cjk), registered with matplotlib by path."""

import subprocess
from functools import lru_cache
from pathlib import Path

from matplotlib import font_manager

FAMILY = "Noto Sans CJK SC"
# Where Debian's fonts-noto-cjk puts the faces; fc-match is asked first.
DEBIAN_FILES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
)


class FontMissing(RuntimeError):
    """The CJK font is not installed; maps would show tofu boxes."""


def _fc_match(style: str) -> Path | None:
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}", f"{FAMILY}:style={style}"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except OSError:
        return None
    path = Path(out.strip()) if out.strip() else None
    return path if path and "CJK" in path.name else None


@lru_cache
def cjk_family() -> str:
    """Register the Noto Sans CJK regular and bold files once; return the SC family name."""
    found = {_fc_match("Regular"), _fc_match("Bold"), *filter(Path.is_file, DEBIAN_FILES)}
    found.discard(None)
    if not found:
        raise FontMissing("未找到中文字体 Noto Sans CJK：请安装 Debian 软件包 fonts-noto-cjk")
    for path in sorted(found):
        font_manager.fontManager.addfont(str(path))
    return FAMILY
