"""A photo with a face, built offline from scikit-image's bundled astronaut, and a measure of
how sharp a box of a JPEG is: the variance of its Laplacian (edges), which blurring drops."""
import io

import cv2
import numpy as np
import skimage.data
from PIL import Image

# The astronaut's face (eyes, nose, mouth, chin) in the 512×512 sample, as fractions of its sides.
FACE = (180 / 512, 75 / 512, 90 / 512, 105 / 512)
SHOULDER = (30 / 512, 330 / 512, 90 / 512, 90 / 512)  # the suit: nothing to blur there
ORDER_OF_MAGNITUDE = 10


def astronaut() -> Image.Image:
    return Image.fromarray(skimage.data.astronaut())


def astronaut_jpeg(quality=92) -> bytes:
    out = io.BytesIO()
    astronaut().save(out, "JPEG", quality=quality)
    return out.getvalue()


def sharpness(data: bytes | Image.Image, box=FACE) -> float:
    """The variance of the Laplacian of ``box`` (fractions of the sides) in a JPEG or image."""
    image = data if isinstance(data, Image.Image) else Image.open(io.BytesIO(data))
    grey = np.asarray(image.convert("L"), dtype=np.float64)
    height, width = grey.shape
    x, y, w, h = box
    crop = grey[round(y * height):round((y + h) * height), round(x * width):round((x + w) * width)]
    return float(cv2.Laplacian(crop, cv2.CV_64F).var())


def unblurred_sharpness(side: int, box=FACE) -> float:
    """The face box's sharpness in the astronaut scaled to ``side`` and saved as our JPEGs are."""
    image = astronaut()
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return sharpness(out.getvalue(), box)


def assert_blurred(data: bytes, side: int) -> None:
    """The face box is at least ten times less sharp than unblurred, the suit as sharp as before."""
    before, after = unblurred_sharpness(side), sharpness(data)
    assert after * ORDER_OF_MAGNITUDE <= before, f"face sharpness {after:.1f}, unblurred {before:.1f}"
    assert sharpness(data, SHOULDER) > unblurred_sharpness(side, SHOULDER) / 2
