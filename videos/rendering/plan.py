"""What a plan is made of: the still background, timed elements and how each one moves.

compose.py makes a plan from a spec; graph.py turns it into one ffmpeg command.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from .spec_layers import GROWTHS
from .text import RGBA


@dataclass(frozen=True)
class Motion:
    start: float  # seconds, on a frame boundary
    end: float
    fx_in: tuple[str, ...] = ()
    fx_out: tuple[str, ...] = ()
    in_d: float = 0.0
    out_d: float = 0.0
    slide_in: tuple[int, int] = (0, 0)  # offset at the start, eased to zero
    slide_out: tuple[int, int] = (0, 0)  # offset reached at the end
    zoom_from: float = 1.0

    @property
    def growth(self) -> str | None:
        return next((fx for fx in self.fx_in if fx in GROWTHS), None)


@dataclass(frozen=True)
class ClipSlot:
    path: str
    audio: str  # "drop" | "mix"
    volume: float
    has_audio: bool


@dataclass(frozen=True)
class CountUp:
    """A number drawn by ffmpeg's drawtext, counting up (see graph.py)."""

    content: str  # drawtext text with %{eif:…} expansions
    font: str
    size: int
    color: RGBA
    x: str  # expressions in t
    y: str  # baseline
    alpha: str


@dataclass
class Element:
    kind: str  # "image" | "clip" | "count"
    x: int
    y: int
    w: int
    h: int
    motion: Motion
    image: Image.Image | None = None
    clip: ClipSlot | None = None
    count: CountUp | None = None
    name: str = ""
    y_follow: str = ""  # an expression in t added to y (a label riding on a growing bar)
    y_follow_max: int = 0  # how far down y_follow may move it

    def bbox(self) -> tuple[int, int, int, int]:
        """Every pixel the element may cover while it moves."""
        xs = [self.x, self.x + self.motion.slide_in[0], self.x + self.motion.slide_out[0]]
        ys = [self.y, self.y + self.motion.slide_in[1], self.y + self.motion.slide_out[1]]
        return min(xs), min(ys), max(xs) + self.w, max(ys) + self.h + self.y_follow_max


@dataclass
class Plan:
    width: int
    height: int
    fps: int
    duration: float
    frames: int
    background: Image.Image | None  # RGB, when the background is a still
    background_clip: ClipSlot | None
    background_zoom: tuple[float, float] | None
    elements: list[Element]
    fade_in: float
    fade_out: float
    music: dict | None  # {"path", "volume", "fade_in", "fade_out"}
    thumbnail_frame: int
