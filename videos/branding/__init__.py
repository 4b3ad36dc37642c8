"""Brand kits on local files: check a logo upload, watermark a video, preview a kit.

Pure functions on paths and file objects — no models, no storage — so services, tasks and
views call them with files they have already fetched.

- :func:`validate_logo` checks an upload (PNG or JPEG by content, ≤ 5 MB, ≤ 4096 × 4096 px)
  and raises ``ValidationError`` with a translated message.
- :func:`logo_box` is the one place where the logo's size and position in a frame are decided
  (inside the template's ``logo_safe_area``, read by :func:`safe_area_of`, when it has one);
  :func:`apply_watermark` (ffmpeg) and :func:`preview` (Pillow) both use it, and both scale the
  logo with the same Pillow resampling and round its opacity the same way, so the kit page
  shows what the video will get.
- :func:`apply_watermark` is one ffmpeg run: the pre-scaled logo (a single RGBA PNG frame)
  gets its alpha multiplied by the opacity (``colorchannelmixer=aa=…``), is overlaid on
  every frame, the video is re-encoded with libx264 and the audio is copied untouched.
"""

from .logo import MAX_LOGO_BYTES, MAX_LOGO_SIDE, LogoInfo, validate_logo, within_pixel_cap
from .placement import POSITIONS, SCALE_MAX, SCALE_MIN, SafeArea, logo_box, safe_area_of
from .preview import preview, sample_frame
from .watermark import CRF, FAST_X264_PARAMS, apply_watermark

__all__ = [
    "CRF",
    "FAST_X264_PARAMS",
    "MAX_LOGO_BYTES",
    "MAX_LOGO_SIDE",
    "POSITIONS",
    "SCALE_MAX",
    "SCALE_MIN",
    "LogoInfo",
    "SafeArea",
    "apply_watermark",
    "logo_box",
    "preview",
    "safe_area_of",
    "sample_frame",
    "validate_logo",
    "within_pixel_cap",
]
