"""Turning an uploaded photo into the two JPEGs we serve, and nothing more.

The upload is decoded by its content (never its name), limited in bytes and pixels
before any pixel is decoded, turned upright by its EXIF orientation, converted to
sRGB, its faces and number plates blurred (:mod:`mapapp.photos.blur`), and re-encoded
as a web-size copy and a thumbnail. The re-encoded files carry no metadata at all: phone photos hold the place, time and device, and a participant
only meant to share the picture. ``read_gps`` reads the place from the original
bytes for callers that want it. No Flask here.
"""
from __future__ import annotations

import hashlib
import io
import math
import struct
import unicodedata
from dataclasses import dataclass

from PIL import ExifTags, Image, ImageCms, ImageOps, UnidentifiedImageError

from mapapp.errors import ValidationFailed
from mapapp.photos import blur

try:
    from pillow_heif import register_heif_opener
except ImportError:  # HEIC/HEIF stays refused where pillow-heif is missing
    HEIF = False
else:
    register_heif_opener()
    HEIF = True

MB = 1024 * 1024
MAX_BYTES = 15 * MB
MAX_PIXELS = 60_000_000
WEB_SIDE = 1600
THUMB_SIDE = 320
JPEG_OPTIONS = {"quality": 82, "optimize": True, "progressive": True}
FORMATS = ("JPEG", "PNG", "WEBP") + (("HEIF",) if HEIF else ())
NAME_MAX = 80
SRGB = ImageCms.createProfile("sRGB")
# What Pillow's parsers and decoders raise for malformed or cut-off input.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error)
# ... and what reading odd EXIF values may raise besides.
EXIF_ERRORS = (TypeError, KeyError, IndexError, ZeroDivisionError, *DECODE_ERRORS)


class PhotoRefused(ValidationFailed):
    """An upload we will not store; ``fields["photo"]`` names the file and why."""

    def __init__(self, filename: str, why: str):
        message = f"{display_name(filename)} {why}"
        super().__init__(message, {"photo": message})


class PhotoTooLarge(PhotoRefused):
    status = 413
    code = "too_large"


def megabytes(size: int) -> str:
    """``size`` bytes in MB for a message: 15 MB, 0.5 MB."""
    return f"{round(size / MB, 1):g} MB"


def too_large(max_bytes: int) -> str:
    """Why a photo over ``max_bytes`` is refused (after its name, or as the field's message)."""
    return f"is too large (at most {megabytes(max_bytes)})"


@dataclass(frozen=True)
class Processed:
    """The two blurred JPEGs to store; ``sha256`` is the web copy's hash (its storage name).

    ``regions`` are the boxes blurred; ``original`` is the unblurred web-size JPEG, only when
    asked to keep it (never served, only re-blurred from), with its hash ``original_sha256``.
    """

    web: bytes
    thumb: bytes
    width: int
    height: int
    sha256: str
    gps: tuple[float, float] | None
    regions: tuple = ()
    original: bytes | None = None
    original_sha256: str | None = None


def renditions(upright: Image.Image, regions) -> tuple[bytes, bytes, str]:
    """The web copy and thumbnail of a web-size image with ``regions`` blurred, and the web copy's hash."""
    web = blur.apply(upright, list(regions))
    thumb = web.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    web_bytes = _jpeg(web)
    return web_bytes, _jpeg(thumb), hashlib.sha256(web_bytes).hexdigest()


def decode_stored(data: bytes) -> Image.Image:
    """A stored JPEG of ours (web copy or original) as an RGB image."""
    with Image.open(io.BytesIO(data), formats=("JPEG",)) as image:
        return image.convert("RGB")


def display_name(filename: str | None) -> str:
    """Return the file's name fit for an error message: no path, no control characters."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > NAME_MAX:
        name = name[: NAME_MAX - 1] + "…"
    return name or "photo"


def process(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES,
            max_pixels: int = MAX_PIXELS, keep_original: bool = False) -> Processed:
    """Decode ``data`` and return its web-size and thumbnail JPEGs, blurred and free of metadata.

    Raises ``PhotoRefused`` (``PhotoTooLarge`` for too many bytes) naming ``filename``.
    """
    if not data:
        raise PhotoRefused(filename, "is empty")
    if len(data) > max_bytes:
        raise PhotoTooLarge(filename, too_large(max_bytes))
    image = _open(data, filename, max_pixels)
    gps = _gps_from(image)
    try:
        image.draft("RGB", _draft_size(image.size))
        upright = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRefused(filename, "has too many pixels") from None
    except DECODE_ERRORS:
        raise PhotoRefused(filename, "is damaged or incomplete") from None
    web = _to_srgb(upright)
    web.thumbnail((WEB_SIDE, WEB_SIDE), Image.Resampling.LANCZOS)
    regions = tuple(blur.detect(web))
    web_bytes, thumb_bytes, sha256 = renditions(web, regions)
    original = _jpeg(web) if keep_original else None
    return Processed(web=web_bytes, thumb=thumb_bytes, width=web.width, height=web.height, sha256=sha256,
                     gps=gps, regions=regions, original=original,
                     original_sha256=hashlib.sha256(original).hexdigest() if original else None)


def read_gps(data: bytes) -> tuple[float, float] | None:
    """Return (lat, lon) from the photo's EXIF GPS block, or None when it has none."""
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, *DECODE_ERRORS):
        return None
    return _gps_from(image)


def _open(data: bytes, filename: str, max_pixels: int) -> Image.Image:
    """Open ``data`` as one of our formats, reading only the header; check its pixel count."""
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRefused(filename, "has too many pixels") from None
    except UnidentifiedImageError:
        raise PhotoRefused(filename, "is not an image we can read") from None
    except DECODE_ERRORS:
        raise PhotoRefused(filename, "is damaged or incomplete") from None
    width, height = image.size
    if width < 1 or height < 1:
        raise PhotoRefused(filename, "is not an image we can read")
    if width * height > max_pixels:
        raise PhotoRefused(filename, f"has too many pixels (at most {max_pixels // 1_000_000} megapixels)")
    return image


def _draft_size(size: tuple[int, int]) -> tuple[int, int]:
    """The smallest size a JPEG may be decoded at that still covers the web copy."""
    scale = min(1.0, WEB_SIDE / max(size))
    return max(1, int(size[0] * scale) + 1), max(1, int(size[1] * scale) + 1)


def _to_srgb(image: Image.Image) -> Image.Image:
    """Return an RGB copy in sRGB: transparency on white, an embedded colour profile applied."""
    icc = image.info.get("icc_profile")
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        image = image.point(lambda v: v / 256).convert("L")
    if image.mode == "P":
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        background = Image.new("RGBA", image.size, "white")
        background.alpha_composite(image.convert("RGBA"))
        image = background.convert("RGB")
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            return ImageCms.profileToProfile(image, source, SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, *DECODE_ERRORS):
            pass  # a broken or mismatched profile: keep the colours as they are
    return image.convert("RGB")


def _jpeg(image: Image.Image) -> bytes:
    """Encode as progressive JPEG from a fresh image, so no metadata can come along."""
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, "JPEG", **JPEG_OPTIONS)
    return out.getvalue()


def _gps_from(image: Image.Image) -> tuple[float, float] | None:
    try:
        gps = image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        lat = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef), "S")
        lon = _degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef), "W")
    except EXIF_ERRORS:
        return None
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return round(lat, 7), round(lon, 7)


def _degrees(dms, ref, negative: str) -> float | None:
    """Degrees, minutes, seconds (EXIF rationals) and a N/S/E/W ref as decimal degrees."""
    if not dms or not ref:
        return None
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    parts = [float(value) for value in dms][:3] + [0.0, 0.0]
    value = parts[0] + parts[1] / 60 + parts[2] / 3600
    if not math.isfinite(value):
        return None
    return -value if ref.strip().upper().startswith(negative) else value
