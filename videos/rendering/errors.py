"""The one exception the rendering engine raises."""


class RenderError(Exception):
    """A render failed. ``code`` is stable and machine-readable, ``detail`` is for logs.

    Codes: ``bad_input`` (an input file is unreadable or not what it claims to be, or the
    request is inconsistent), ``font_missing`` (no installed font has the glyphs),
    ``ffmpeg_failed`` (ffmpeg exited with an error or is not installed), ``timeout``.
    """

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
