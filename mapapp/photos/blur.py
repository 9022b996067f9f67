"""Finding faces and number plates in a photo, and making them unrecognisable. No Flask here.

Detection uses the Haar cascades that OpenCV's 4.x wheels ship (``cv2.data.haarcascades``),
so nothing is downloaded at run time: frontal faces (two cascades, as they miss different
faces), profiles facing either way (the profile cascade knows one side; the mirrored image
gives the other) and number plates (the plate cascade OpenCV ships, trained on Russian
plates, which share the German plates' black-on-white long shape). ``bench/blur.py``
measures what it finds and misses.

A region is a box in normalised coordinates of the upright image (``x``, ``y``, ``w``, ``h``
between 0 and 1), its ``kind`` (``face`` or ``plate``), its ``source`` (``auto`` found at
upload, ``manual`` drawn by a reviewer) and a short ``id``. ``apply`` pixelates each box and
smooths the blocks: pixelating throws the detail away (a Gaussian blur alone can partly be
undone), smoothing takes the block edges a face recogniser could still read. Found boxes
are widened by a margin first (the cascades frame a face from the brows to the chin).
"""
from __future__ import annotations

import math
import threading
import uuid

import cv2
import numpy as np
from flask_babel import gettext as _
from PIL import Image, ImageFilter

from mapapp.errors import ValidationFailed

KINDS = ("face", "plate")
SOURCES = ("auto", "manual")
DETECT_SIDE = 1024  # detection runs on a copy at most this wide or high (faces from ~30 px of 1600)
# Each cascade: file, kind, scale step, neighbours needed, smallest box (pixels of the detection copy).
# Chosen on bench/blur.py's set: all four at 1024 px find 95 % of the faces. Leaving out the
# default frontal cascade cost 2 points of recall, the alt2 one 21, detecting at 800 px 12.
CASCADES = (
    ("haarcascade_frontalface_default.xml", "face", 1.1, 6, 20),
    ("haarcascade_frontalface_alt2.xml", "face", 1.1, 3, 20),
    ("haarcascade_profileface.xml", "face", 1.1, 4, 20),
    ("haarcascade_russian_plate_number.xml", "plate", 1.05, 3, 14),
)
MIRRORED = {"haarcascade_profileface.xml"}  # run on the mirrored image as well
MARGIN = {"face": 0.25, "plate": 0.12}  # widening of found boxes, a fraction of their size per side
BLOCKS = 8  # pixelation: blocks across the longer side of a box
MIN_SIDE = 0.005  # the smallest box a reviewer may draw, a fraction of the image's side

_loaded = threading.local()  # a classifier is not safe to share between threads: one set per thread


def _classifier(name: str):
    classifiers = _loaded.__dict__.setdefault("classifiers", {})
    if name not in classifiers:
        classifiers[name] = cv2.CascadeClassifier(cv2.data.haarcascades + name)
    return classifiers[name]


def detect(image: Image.Image) -> list[dict]:
    """Return the faces and plates found in ``image`` (upright) as automatic regions."""
    scale = min(1.0, DETECT_SIDE / max(image.size))
    small = image.convert("L")
    if scale < 1.0:
        small = small.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.BILINEAR)
    gray = cv2.equalizeHist(np.asarray(small))
    width, height = small.size
    found: list[tuple[str, tuple[float, float, float, float]]] = []
    for name, kind, step, neighbours, smallest in CASCADES:
        views = [(gray, False)] + ([(cv2.flip(gray, 1), True)] if name in MIRRORED else [])
        for view, mirrored in views:
            boxes = _classifier(name).detectMultiScale(view, scaleFactor=step, minNeighbors=neighbours,
                                                       minSize=(smallest, smallest))
            for x, y, w, h in boxes:
                x = width - x - w if mirrored else x
                found.append((kind, (x / width, y / height, w / width, h / height)))
    return [region(box, kind, "auto") for kind, box in _merged(found)]


def _merged(found):
    """Boxes of one kind that overlap become one box around both (cascades report a face twice)."""
    merged: list[tuple[str, tuple]] = []
    for kind, box in found:
        for index, (other_kind, other) in enumerate(merged):
            if other_kind == kind and _overlap(box, other) > 0.3:
                merged[index] = (kind, _union(box, other))
                break
        else:
            merged.append((kind, box))
    return merged


def _overlap(a, b) -> float:
    """Intersection over the smaller box's area."""
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    smaller = min(a[2] * a[3], b[2] * b[3])
    return ix * iy / smaller if smaller else 0.0


def _union(a, b):
    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
    return x0, y0, max(a[0] + a[2], b[0] + b[2]) - x0, max(a[1] + a[3], b[1] + b[3]) - y0


def region(box, kind: str, source: str) -> dict:
    """A region record (what ``photos.blur_regions`` holds) for a normalised box."""
    x, y, w, h = (min(1.0, max(0.0, float(value))) for value in box)
    return {"id": uuid.uuid4().hex[:12], "x": round(x, 5), "y": round(y, 5),
            "w": round(min(w, 1.0 - x), 5), "h": round(min(h, 1.0 - y), 5), "kind": kind, "source": source}


def pixel_box(item: dict, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The region's box in pixels of an image of ``size``, widened by its margin, clipped to the image."""
    width, height = size
    margin = MARGIN.get(item["kind"], 0.0) if item.get("source") == "auto" else 0.0
    x0 = (item["x"] - item["w"] * margin) * width
    y0 = (item["y"] - item["h"] * margin) * height
    x1 = (item["x"] + item["w"] * (1 + margin)) * width
    y1 = (item["y"] + item["h"] * (1 + margin)) * height
    return (max(0, math.floor(x0)), max(0, math.floor(y0)),
            min(width, math.ceil(x1)), min(height, math.ceil(y1)))


def apply(image: Image.Image, regions: list[dict]) -> Image.Image:
    """Return a copy of ``image`` with every region pixelated and smoothed beyond recognition."""
    out = image.copy()
    for item in regions:
        left, top, right, bottom = pixel_box(item, image.size)
        if right - left < 1 or bottom - top < 1:
            continue
        patch = out.crop((left, top, right, bottom))
        block = max(1, math.ceil(max(patch.size) / BLOCKS))
        coarse = patch.resize((max(1, patch.width // block), max(1, patch.height // block)), Image.Resampling.BOX)
        blocky = coarse.resize(patch.size, Image.Resampling.NEAREST)
        out.paste(blocky.filter(ImageFilter.GaussianBlur(block)), (left, top))
    return out


def manual_box(body) -> dict:
    """A reviewer's box from a JSON body (``x``, ``y``, ``w``, ``h`` in 0..1, optional ``kind``).

    Raises ValidationFailed naming each field that is missing, not a number or outside the image.
    """
    if not isinstance(body, dict):
        raise ValidationFailed(_("Die Anfrage ist kein gültiges JSON."), {"body": _("Kein gültiges JSON.")})
    problems, values = {}, {}
    for name in ("x", "y", "w", "h"):
        value = body.get(name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            problems[name] = _("Bitte eine Zahl zwischen 0 und 1 angeben.")
        elif not 0 <= value <= 1:
            problems[name] = _("Muss zwischen 0 und 1 liegen (Anteil an Breite oder Höhe des Fotos).")
        else:
            values[name] = float(value)
    for side, start in (("w", "x"), ("h", "y")):
        if side in values and values[side] < MIN_SIDE:
            problems[side] = _("Der Bereich ist zu klein.")
        elif side in values and start in values and values[start] + values[side] > 1 + 1e-9:
            problems[side] = _("Der Bereich reicht über den Rand des Fotos hinaus.")
    kind = body.get("kind", "face")
    if kind not in KINDS:
        problems["kind"] = _("Bitte „face“ (Gesicht) oder „plate“ (Kennzeichen) angeben.")
    if problems:
        raise ValidationFailed(_("Der Bereich ist ungültig."), problems)
    return region((values["x"], values["y"], values["w"], values["h"]), kind, "manual")
