"""Text to transparent images with Pillow: shaping, wrapping, fitting, boxes and shadows.

Pillow lays text out with Raqm (HarfBuzz + FriBiDi), so Devanagari conjuncts and Arabic joining
come out right. The line box is the font's ascent plus descent (never the font size alone, which
is what clips descenders in MoviePy's TextClip), and the canvas is grown to the real ink bounds of
every line, so nothing is ever cut off.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from .errors import RenderError
from .fonts import FontChoice, font_runs

RGBA = tuple[int, int, int, int]
Box = tuple[int, int, int, int]  # x0, y0, x1, y1 (x1, y1 exclusive)

_SUPERSAMPLE = 4
_ELLIPSIS = "…"
# Characters that must not start a line (Japanese/Chinese kinsoku) and ones that must not end it.
_NO_LINE_START = set(
    "、。，．・：；？！）」』】》〉〕］｝〙〗”’…‥ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞ%,.!?:;)]}"
)
_NO_LINE_END = set("（「『【《〈〔［｛〘〖“‘([{")


@dataclass(frozen=True)
class BoxStyle:
    color: RGBA
    padding: int  # px
    radius: int  # px


@dataclass(frozen=True)
class ShadowStyle:
    color: RGBA
    offset: int  # px, down and to the right
    blur: int  # px


@dataclass(frozen=True)
class TextStyle:
    size: int  # font size, px
    color: RGBA = (255, 255, 255, 255)
    bold: bool = True
    serif: bool = False
    max_width: int = 1_000_000  # px, of the text itself (the box padding comes on top)
    align: str = "center"
    line_spacing: float = 1.15
    max_lines: int = 4
    box: BoxStyle | None = None
    shadow: ShadowStyle | None = None


@dataclass(frozen=True)
class Raster:
    """An RGBA image and the box inside it that anchoring refers to (shadows may stick out)."""

    image: Image.Image
    block: Box


@lru_cache(maxsize=128)
def load_font(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(path, size, index=index, layout_engine=ImageFont.Layout.RAQM)
    except OSError as exc:
        raise RenderError("font_missing", f"cannot load {path} (face {index}): {exc}") from exc


def _is_cjk_breakable(char: str) -> bool:
    """Chinese and Japanese break between any two characters; Korean breaks at spaces."""
    code = ord(char)
    return (
        0x3000 <= code <= 0x30FF  # CJK punctuation, hiragana, katakana
        or 0x31F0 <= code <= 0x31FF
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or 0x20000 <= code <= 0x3134F
    )


def _tokens(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, is_space) pieces of a paragraph, each a place where a line may break."""
    tokens: list[list] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            j = i
            while j < len(text) and text[j].isspace():
                j += 1
            tokens.append([i, j, True])
            i = j
            continue
        if _is_cjk_breakable(char) or char in _NO_LINE_START:
            glue = (
                tokens
                and not tokens[-1][2]
                and (char in _NO_LINE_START or text[tokens[-1][1] - 1] in _NO_LINE_END)
            )
            if glue:
                tokens[-1][1] = i + 1
            else:
                tokens.append([i, i + 1, False])
            i += 1
            continue
        j = i
        while (
            j < len(text)
            and not text[j].isspace()
            and not _is_cjk_breakable(text[j])
            and not (j > i and text[j] in _NO_LINE_START and _is_cjk_breakable(text[j - 1]))
        ):
            j += 1
        if tokens and not tokens[-1][2] and text[tokens[-1][1] - 1] in _NO_LINE_END:
            tokens[-1][1] = j
        else:
            tokens.append([i, j, False])
        i = j
    return [(a, b, s) for a, b, s in tokens]


def _cluster_breaks(text: str, start: int, end: int) -> list[int]:
    """Where inside text[start:end] a too-long word may be split (never inside a cluster)."""
    breaks = []
    for i in range(start + 1, end):
        char, before = text[i], text[i - 1]
        if unicodedata.category(char).startswith("M") or char in "\u200c\u200d":
            continue
        if before in "\u094d\u200d":  # virama or joiner: the conjunct continues
            continue
        breaks.append(i)
    return breaks


class _Paragraph:
    """One paragraph with a font for every character, measured at one size."""

    def __init__(self, text: str, runs: list[tuple[str, FontChoice]], size: int) -> None:
        self.text = text
        self.size = size
        self.choices: list[FontChoice] = []
        for run, choice in runs:
            self.choices.extend([choice] * len(run))

    def pieces(self, start: int, end: int) -> list[tuple[str, ImageFont.FreeTypeFont]]:
        out: list[tuple[str, ImageFont.FreeTypeFont]] = []
        i = start
        while i < end:
            j = i
            while j < end and self.choices[j] == self.choices[i]:
                j += 1
            out.append((self.text[i:j], load_font(*self.choices[i], self.size)))
            i = j
        return out

    def width(self, start: int, end: int) -> float:
        return sum(font.getlength(piece) for piece, font in self.pieces(start, end))


def _wrap(para: _Paragraph, max_width: float) -> tuple[list[tuple[int, int]], bool]:
    """Greedy line breaking; also says whether a word had to be split to fit."""
    lines: list[tuple[int, int]] = []
    split = False
    line_start: int | None = None
    line_end = 0
    for start, end, is_space in _tokens(para.text):
        if is_space:
            continue
        if line_start is None:
            line_start, line_end = start, end
        elif para.width(line_start, end) <= max_width:
            line_end = end
            continue
        else:
            lines.append((line_start, line_end))
            line_start, line_end = start, end
        # the token starts a line: split it if it is too long on its own
        while para.width(line_start, line_end) > max_width:
            cut = None
            for pos in _cluster_breaks(para.text, line_start, line_end):
                if para.width(line_start, pos) > max_width:
                    break
                cut = pos
            if cut is None:
                break
            lines.append((line_start, cut))
            line_start = cut
            split = split or not _is_cjk_breakable(para.text[cut - 1])
    if line_start is not None:
        lines.append((line_start, line_end))
    return lines, split


@dataclass
class _Line:
    pieces: list[tuple[str, ImageFont.FreeTypeFont]]
    width: float


def _layout(text: str, style: TextStyle, size: int) -> tuple[list[_Line], bool]:
    lines: list[_Line] = []
    split = False
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        if not paragraph:
            if lines:
                lines.append(_Line([], 0.0))
            continue
        para = _Paragraph(paragraph, font_runs(paragraph, bold=style.bold, serif=style.serif), size)
        wrapped, split_here = _wrap(para, style.max_width)
        split = split or split_here
        for start, end in wrapped:
            lines.append(_Line(para.pieces(start, end), para.width(start, end)))
    while lines and not lines[-1].pieces:
        lines.pop()
    return lines, split


def _ellipsize(line: _Line, style: TextStyle, size: int) -> _Line:
    text = "".join(piece for piece, _font in line.pieces).rstrip()
    while True:
        candidate = (text.rstrip(" ,.;:、。，") + _ELLIPSIS) if text else _ELLIPSIS
        runs = font_runs(candidate, bold=style.bold, serif=style.serif)
        para = _Paragraph(candidate, runs, size)
        width = para.width(0, len(candidate))
        if width <= style.max_width or not text:
            return _Line(para.pieces(0, len(candidate)), width)
        breaks = _cluster_breaks(text, 0, len(text))
        text = text[: breaks[-1]] if breaks else ""


def _fit(text: str, style: TextStyle) -> tuple[list[_Line], int]:
    """Lines at the largest size (down to 60 %) that fits max_lines without splitting a word;
    at 60 % long words are split, and what still does not fit is cut with an ellipsis."""
    size = style.size
    smallest = max(6, int(style.size * 0.6))
    while True:
        lines, split = _layout(text, style, size)
        if len(lines) <= style.max_lines and (not split or size <= smallest):
            return lines, size
        if size <= smallest:
            break
        size = max(smallest, int(size * 0.92))
    kept = lines[: style.max_lines]
    kept[-1] = _ellipsize(kept[-1], style, size)
    return kept, size


def _rounded_mask(width: int, height: int, radius: int) -> Image.Image:
    """An anti-aliased rounded rectangle as an L mask."""
    if radius <= 0:
        return Image.new("L", (width, height), 255)
    factor = _SUPERSAMPLE if width * height <= 2_000_000 else 2
    big = Image.new("L", (width * factor, height * factor), 0)
    ImageDraw.Draw(big).rounded_rectangle(
        (0, 0, width * factor - 1, height * factor - 1), radius=radius * factor, fill=255
    )
    return big.resize((width, height), Image.Resampling.LANCZOS)


def colored(mask: Image.Image, color: RGBA) -> Image.Image:
    """An RGBA image of one color whose alpha is mask × the color's alpha."""
    layer = Image.new("RGBA", mask.size, (*color[:3], 0))
    alpha = mask if color[3] == 255 else mask.point(lambda v: v * color[3] // 255)
    layer.putalpha(alpha)
    return layer


def add_shadow(raster: Raster, shadow: ShadowStyle | None) -> Raster:
    """Put a blurred, offset copy of the raster's alpha underneath it."""
    if shadow is None or shadow.color[3] == 0:
        return raster
    margin = shadow.blur * 3 + shadow.offset + 2
    width, height = raster.image.size
    canvas = Image.new("RGBA", (width + 2 * margin, height + 2 * margin), (0, 0, 0, 0))
    mask = Image.new("L", canvas.size, 0)
    mask.paste(raster.image.getchannel("A"), (margin + shadow.offset, margin + shadow.offset))
    if shadow.blur > 0:
        mask = mask.filter(ImageFilter.GaussianBlur(shadow.blur))
    canvas.alpha_composite(colored(mask, shadow.color))
    canvas.alpha_composite(raster.image, (margin, margin))
    x0, y0, x1, y1 = raster.block
    return Raster(canvas, (x0 + margin, y0 + margin, x1 + margin, y1 + margin))


def render_text(text: str, style: TextStyle) -> Raster | None:
    """Render text to a transparent image; None when there is nothing to draw."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return None
    lines, size = _fit(text, style)
    if not lines:
        return None
    fonts = {id(font): font for line in lines for _piece, font in line.pieces}.values()
    ascent = max(font.getmetrics()[0] for font in fonts)
    descent = max(font.getmetrics()[1] for font in fonts)
    pitch = max(round(size * style.line_spacing), round((ascent + descent) * 0.9))
    block_w = max(1, int(max(line.width for line in lines) + 0.999))
    baselines = [ascent + i * pitch for i in range(len(lines))]
    block_h = baselines[-1] + descent

    # real ink bounds, relative to the block (Devanagari marks and accents may leave it)
    ink_top, ink_bottom, ink_left, ink_right = 0, block_h, 0, block_w
    offsets = []
    for line, baseline in zip(lines, baselines, strict=True):
        x = {"left": 0.0, "right": block_w - line.width}.get(
            style.align, (block_w - line.width) / 2
        )
        offsets.append(x)
        for piece, font in line.pieces:
            left, top, right, bottom = font.getbbox(piece, anchor="ls")
            ink_top = min(ink_top, baseline + top)
            ink_bottom = max(ink_bottom, baseline + bottom)
            ink_left = min(ink_left, int(x + left))
            ink_right = max(ink_right, int(x + right + 1))
            x += font.getlength(piece)

    pad = style.box.padding if style.box else 0
    edge = max(2, size // 16)  # room for anti-aliasing
    left_extra = max(0, -ink_left) + edge
    top_extra = max(0, -ink_top) + edge
    right_extra = max(0, ink_right - block_w) + edge
    bottom_extra = max(0, ink_bottom - block_h) + edge
    width = block_w + 2 * pad + left_extra + right_extra
    height = block_h + 2 * pad + top_extra + bottom_extra
    origin_x, origin_y = left_extra + pad, top_extra + pad  # top-left of the text block

    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    if style.box is not None:
        box_w, box_h = block_w + 2 * pad, block_h + 2 * pad
        radius = min(style.box.radius, box_w // 2, box_h // 2)
        image.alpha_composite(
            colored(_rounded_mask(box_w, box_h, radius), style.box.color), (left_extra, top_extra)
        )
        block = (left_extra, top_extra, left_extra + box_w, top_extra + box_h)
    else:
        block = (origin_x, origin_y, origin_x + block_w, origin_y + block_h)

    mask = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(mask)
    for line, baseline, x in zip(lines, baselines, offsets, strict=True):
        for piece, font in line.pieces:
            draw.text((origin_x + x, origin_y + baseline), piece, font=font, fill=255, anchor="ls")
            x += font.getlength(piece)
    image.alpha_composite(colored(mask, style.color))
    return add_shadow(Raster(image, block), style.shadow)
