"""Finding faces and plates and blurring them: the detector on a bundled photo, the pixels, the boxes."""
import pytest

from mapapp.errors import ValidationFailed
from mapapp.photos import blur, processing
from tests.photos.faces import FACE, astronaut, astronaut_jpeg, assert_blurred, sharpness
from tests.photos.images import jpeg, picture


def covers(region: dict, box, size=(512, 512)) -> bool:
    """Whether the blurred area of ``region`` (with its margin) covers ``box`` (fractions)."""
    left, top, right, bottom = blur.pixel_box(region, size)
    x, y, w, h = (v * s for v, s in zip(box, (*size, *size)))
    return left <= x and top <= y and right >= x + w and bottom >= y + h


def test_finds_the_astronauts_face_and_nothing_else():
    regions = blur.detect(astronaut())
    assert [(r["kind"], r["source"]) for r in regions] == [("face", "auto")]
    assert covers(regions[0], FACE)
    assert all(0 <= regions[0][k] <= 1 for k in ("x", "y", "w", "h"))


def test_finds_nothing_in_a_plain_picture():
    assert blur.detect(picture((800, 600))) == []


def test_apply_blurs_only_the_region():
    image = astronaut()
    region = blur.region((0.1, 0.1, 0.2, 0.2), "face", "manual")
    out = blur.apply(image, [region])
    assert out.size == image.size
    assert sharpness(out, (0.1, 0.1, 0.2, 0.2)) * 10 < sharpness(image, (0.1, 0.1, 0.2, 0.2))
    assert out.crop((300, 300, 512, 512)).tobytes() == image.crop((300, 300, 512, 512)).tobytes()


def test_processing_blurs_the_face_in_web_copy_and_thumbnail():
    processed = processing.process(astronaut_jpeg(), "astronaut.jpg")
    assert len(processed.regions) == 1
    assert_blurred(processed.web, 512)
    assert_blurred(processed.thumb, 320)
    assert processed.original is None and processed.original_sha256 is None


def test_processing_keeps_the_unblurred_original_only_when_asked():
    processed = processing.process(astronaut_jpeg(), "astronaut.jpg", keep_original=True)
    assert sharpness(processed.original) > 10 * sharpness(processed.web)
    assert processed.original_sha256 != processed.sha256


def test_a_photo_without_faces_is_stored_as_before():
    processed = processing.process(jpeg(picture((800, 600))), "wall.jpg")
    assert processed.regions == ()


@pytest.mark.parametrize("body, field", [
    ({"y": 0.1, "w": 0.2, "h": 0.2}, "x"),
    ({"x": "links", "y": 0.1, "w": 0.2, "h": 0.2}, "x"),
    ({"x": True, "y": 0.1, "w": 0.2, "h": 0.2}, "x"),
    ({"x": 0.1, "y": -0.1, "w": 0.2, "h": 0.2}, "y"),
    ({"x": 0.1, "y": 0.1, "w": 1.5, "h": 0.2}, "w"),
    ({"x": 0.9, "y": 0.1, "w": 0.2, "h": 0.2}, "w"),
    ({"x": 0.1, "y": 0.1, "w": 0.2, "h": 0.0}, "h"),
    ({"x": 0.1, "y": 0.1, "w": 0.2, "h": 0.2, "kind": "cat"}, "kind"),
])
def test_a_bad_box_is_refused_naming_the_field(body, field):
    with pytest.raises(ValidationFailed) as refused:
        blur.manual_box(body)
    assert field in refused.value.fields


def test_a_drawn_box_is_a_manual_region():
    region = blur.manual_box({"x": 0.25, "y": 0.5, "w": 0.25, "h": 0.125, "kind": "plate"})
    assert region | {"id": "-"} == {"id": "-", "x": 0.25, "y": 0.5, "w": 0.25, "h": 0.125,
                                    "kind": "plate", "source": "manual"}
