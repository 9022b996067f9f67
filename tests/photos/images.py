"""Photos made in the test, as a phone would send them: no binary fixtures in the repo."""
import io
import random
import struct
import zlib

from PIL import ExifTags, Image

BISMARCKPLATZ_DMS = ((51.0, 27.0, 23.4), "N", (6.0, 41.0, 58.2), "E")  # 51.4565, 6.6995


def picture(size=(800, 600), colour=(200, 40, 40), mode="RGB") -> Image.Image:
    """A picture with a marked top-left corner, so rotations can be told apart."""
    image = Image.new(mode, size, colour)
    corner = Image.new(mode, (max(1, size[0] // 4), max(1, size[1] // 8)), "blue" if mode == "RGB" else 0)
    image.paste(corner, (0, 0))
    return image


def gps_exif(dms=BISMARCKPLATZ_DMS, orientation: int | None = None) -> Image.Exif:
    """EXIF as a phone writes it: camera, time, place (GPS IFD 0x8825), maybe orientation."""
    lat, lat_ref, lon, lon_ref = dms
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestPhone"
    exif[ExifTags.Base.DateTime] = "2026:09:12 10:15:00"
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: lat_ref, ExifTags.GPS.GPSLatitude: lat,
        ExifTags.GPS.GPSLongitudeRef: lon_ref, ExifTags.GPS.GPSLongitude: lon,
    }
    return exif


def jpeg(image: Image.Image | None = None, exif: Image.Exif | None = None, quality=90, **options) -> bytes:
    out = io.BytesIO()
    (image or picture()).save(out, "JPEG", exif=exif or Image.Exif(), quality=quality, **options)
    return out.getvalue()


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def distinct_jpegs(count: int) -> list[bytes]:
    """``count`` JPEGs with different bytes (and different stored copies)."""
    return [jpeg(picture(colour=(20 + 40 * i, 200 - 30 * i, 90))) for i in range(count)]


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels: a decompression bomb's calling card."""
    data = bytearray(encoded(Image.new("L", (1, 1)), "PNG"))
    struct.pack_into(">II", data, 16, width, height)  # IHDR data starts after signature, length, type
    struct.pack_into(">I", data, 29, zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def noisy_jpeg(size=(4000, 3000), quality=95, exif: Image.Exif | None = None, seed=1) -> bytes:
    """A JPEG of random pixels: noise hardly compresses, so 4000x3000 at quality 95 is about 14 MB.

    Big the way an unshrunk phone photo is big; with ``exif`` it carries a phone's metadata.
    """
    width, height = size
    image = Image.frombytes("RGB", size, random.Random(seed).randbytes(width * height * 3))
    return jpeg(image, exif=exif, quality=quality)
