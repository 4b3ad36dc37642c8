"""The rendering engine's text: nothing clipped, long text wrapped and shrunk to fit.

No database.
"""

from __future__ import annotations

import pytest
from PIL import ImageFont

from tests.videos.rendering_kit import NOTO, needs_fonts
from videos.rendering.text import TextStyle, render_text


@needs_fonts
@pytest.mark.parametrize("text", ["gjpqy", "Quickly: gjpqy\nTwo lines gjpqy", "कृपया गुरु सुनें"])
def test_descenders_are_not_clipped(text):
    size = 64
    raster = render_text(text, TextStyle(size=size, max_width=2000))
    ink = raster.image.getchannel("A").point(lambda v: 255 if v > 8 else 0).getbbox()
    assert ink is not None
    left, top, right, bottom = ink
    # a transparent margin on every side: nothing touches (or was cut at) an edge
    assert top > 0 and left > 0
    assert bottom < raster.image.height and right < raster.image.width
    # and the ink is as deep as the font draws it: the descenders are all there
    last_line = text.split("\n")[-1]
    font_path = (
        "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Bold.ttf"
        if "ग" in last_line
        else str(NOTO)
    )
    font = ImageFont.truetype(font_path, size, layout_engine=ImageFont.Layout.RAQM)
    _l, _t, _r, descent_ink = font.getbbox(last_line, anchor="ls")
    assert descent_ink > 0.15 * size
    rows = raster.image.getchannel("A").crop((0, bottom - 2, raster.image.width, bottom)).getbbox()
    assert rows is not None  # ink right down to the measured bottom
    # the bottom of the ink sits below the last baseline by the font's full descender depth
    _block_x0, _block_y0, _block_x1, block_y1 = raster.block
    assert bottom >= block_y1 - font.getmetrics()[1] + descent_ink - 2


@needs_fonts
def test_long_text_wraps_and_shrinks_to_fit():
    style = TextStyle(size=40, max_width=300, max_lines=2)
    raster = render_text("A rather long sentence that will not fit on one short line at all", style)
    assert raster.image.width <= 300 + 40
    japanese = "夏のセール開催中、今すぐチェックしてください"
    cjk = render_text(japanese, TextStyle(size=40, max_width=300))
    assert cjk.image.width <= 300 + 40
    assert cjk.block[3] - cjk.block[1] > 80  # wrapped per character onto several lines
