"""DataFrames printed as terminal tables whose columns line up under Chinese headers and names."""

import pandas as pd


def table_text(frame: pd.DataFrame, **options) -> str:
    """FRAME as text without its index (OPTIONS as DataFrame.to_string's), a Chinese character two columns wide."""
    with pd.option_context("display.unicode.east_asian_width", True):
        return frame.to_string(index=False, **options)
