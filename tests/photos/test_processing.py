"""Decoding, resizing and stripping photos (no database)."""
import io

import pytest
from PIL import Image

from mapapp.photos import processing
from mapapp.photos.processing import PhotoRefused, PhotoTooLarge, process, read_gps
from tests.photos.images import encoded, gps_exif, jpeg, picture, png_claiming


def assert_no_metadata(data: bytes):
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert not {"exif", "icc_profile", "xmp", "comment", "photoshop"} & set(image.info)
    assert b"Exif\x00\x00" not in data
    assert b"TestPhone" not in data and b"2026:09:12" not in data
    assert b"http://ns.adobe.com/xap" not in data and b"ICC_PROFILE" not in data


def test_read_gps_gives_the_place_in_decimal_degrees():
    assert read_gps(jpeg(exif=gps_exif())) == pytest.approx((51.4565, 6.6995), abs=1e-6)


def test_read_gps_south_and_west_are_negative():
    data = jpeg(exif=gps_exif(((33.0, 52.0, 4.0), "S", (151.0, 12.0, 36.0), "W")))
    assert read_gps(data) == pytest.approx((-33.867778, -151.21), abs=1e-6)


def test_read_gps_none_without_gps_or_image():
    assert read_gps(jpeg()) is None
    assert read_gps(b"not an image") is None


def test_web_and_thumb_are_jpegs_without_any_metadata():
    data = jpeg(picture((3200, 2400)), exif=gps_exif(), comment=b"TestPhone note",
                xmp=b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>TestPhone http://ns.adobe.com/xap</x:xmpmeta>")
    assert b"Exif\x00\x00" in data and b"TestPhone" in data
    result = process(data, "IMG_1.jpg")
    assert result.gps == pytest.approx((51.4565, 6.6995), abs=1e-6)
    for rendition in (result.web, result.thumb):
        assert_no_metadata(rendition)
    web = Image.open(io.BytesIO(result.web))
    thumb = Image.open(io.BytesIO(result.thumb))
    assert web.size == (1600, 1200) == (result.width, result.height)
    assert thumb.size == (320, 240)
    assert web.mode == "RGB" and web.info.get("progressive")


def test_embedded_colour_profile_is_applied_and_dropped():
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    result = process(jpeg(picture(), icc_profile=profile), "IMG_2.jpg")
    assert_no_metadata(result.web)


def test_orientation_is_applied():
    result = process(jpeg(picture((800, 600)), exif=gps_exif(orientation=6)), "IMG_3.jpg")
    web = Image.open(io.BytesIO(result.web))
    assert (result.width, result.height) == web.size == (600, 800)
    # Orientation 6 means "rotate 90° clockwise": the blue top-left corner ends up top-right.
    red, green, blue = web.getpixel((590, 10))
    assert blue > 150 and red < 100


def test_small_photos_are_not_enlarged():
    result = process(jpeg(picture((300, 200))), "small.jpg")
    assert (result.width, result.height) == (300, 200)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_accepted_transparency_on_white(fmt):
    image = Image.new("RGBA", (640, 480), (0, 0, 0, 0))
    result = process(encoded(image, fmt), f"shot.{fmt.lower()}")
    web = Image.open(io.BytesIO(result.web))
    assert web.size == (640, 480)
    assert web.getpixel((10, 10)) >= (250, 250, 250)


def test_heic_is_accepted():
    """pillow-heif is a dependency: without it iPhones' photos would be refused."""
    assert processing.HEIF, "pillow-heif is not installed"
    result = process(encoded(picture((1000, 750)), "HEIF"), "IMG_4.HEIC")
    assert (result.width, result.height) == (1000, 750)


def test_text_named_jpg_is_refused_naming_the_file():
    with pytest.raises(PhotoRefused) as refused:
        process(b"Einkaufsliste: Milch, Brot\n" * 20, "IMG_1.jpg")
    assert refused.value.status == 422
    assert refused.value.fields == {"photo": "IMG_1.jpg is not an image we can read"}


def test_other_image_formats_are_refused():
    with pytest.raises(PhotoRefused, match="not an image we can read"):
        process(encoded(picture(), "GIF"), "anim.gif")


def test_cut_off_upload_is_refused_as_incomplete():
    data = jpeg(picture((1200, 900)))
    with pytest.raises(PhotoRefused, match="IMG_5.jpg is damaged or incomplete"):
        process(data[: len(data) // 2], "IMG_5.jpg")


@pytest.mark.parametrize("size", [(8000, 8000), (20000, 20000)])
def test_decompression_bomb_refused(size):
    """64 MP is over our limit; 400 MP also trips Pillow's own DecompressionBombError."""
    with pytest.raises(PhotoRefused, match="bomb.png has too many pixels"):
        process(png_claiming(*size), "bomb.png")


def test_too_many_bytes_refused_before_decoding():
    with pytest.raises(PhotoTooLarge) as refused:
        process(b"\xff" * (processing.MAX_BYTES + 1), "huge.jpg")
    assert refused.value.status == 413
    assert "huge.jpg is too large" in refused.value.fields["photo"]


def test_empty_refused():
    with pytest.raises(PhotoRefused, match="empty.jpg is empty"):
        process(b"", "empty.jpg")


def test_display_name_drops_paths_and_control_characters():
    assert processing.display_name("C:\\Users\\x\\IMG\x00_1.jpg") == "IMG_1.jpg"
    assert processing.display_name("") == "photo"
    assert len(processing.display_name("a" * 500)) == processing.NAME_MAX
