"""How well the upload's blurring finds faces and number plates: ``bench/run.py`` part ``blur``,
or on its own: ``.venv/bin/python bench/blur.py [--scenes 60] [--seed 7]``.

The labelled set is built offline, every run the same for a seed: street-like scenes (sky,
a brick façade with windows, a gravel road, cars) at the web copy's size, 1600×1200, with
people and plates pasted in at known boxes.

- Faces: scikit-image's bundled sample photos with faces. The astronaut (frontal) and the
  cameraman (three-quarter profile, a camera at his eye) as head-and-shoulders crops, and
  the 100 faces of ``lfw_subset`` (25×25 grey crops of the Labeled Faces in the Wild set),
  each scaled (a face 36–220 px high), lit darker or brighter (×0.6–1.4), turned a little
  (±12°) and put anywhere in the scene.
- Plates: German number plates drawn with Pillow (white, black edge, the blue EU band with
  "D", "DU AB 123"-style letters and the two round seals), 80–260 px wide, on car shapes.
- Distractors in every scene (windows, cars, lamp posts) and scenes with nobody in them.

A labelled box counts as found when the blurred area (the detected box with the margin
the app adds) covers at least ``COVERED`` of it; a detection covering no labelled box is a
false positive. Reported: face recall, plate recall, false positives per image and time per
image, with the misses by source, so one can see where the detector fails.
"""
from __future__ import annotations

import argparse
import math
import random
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``bench`` and ``mapapp`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw, ImageEnhance, ImageFont  # noqa: E402

SIZE = (1600, 1200)
COVERED = 0.7
FACE_RECALL_TARGET = 0.9
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf"
# Head-and-shoulders crops of the bundled photos and the face inside each crop (x, y, w, h).
PORTRAITS = {
    "astronaut": ((110, 0, 400, 330), (70, 75, 90, 105)),
    "camera": ((100, 40, 340, 260), (88, 75, 70, 78)),
}
TOWNS = ("DU", "D", "E", "OB", "MH", "KR", "WES", "DO")


def _load(name: str) -> Image.Image:
    import skimage.data

    if name == "camera":
        return Image.fromarray(skimage.data.camera()).convert("RGB")
    return Image.fromarray(getattr(skimage.data, name)()).convert("RGB")


def _lfw_faces() -> list[Image.Image]:
    import numpy as np
    import skimage.data

    faces = skimage.data.lfw_subset()[:100]
    return [Image.fromarray((face * 255).astype(np.uint8)).convert("RGB") for face in faces]


def _texture(name: str, size: tuple[int, int], tint: tuple[int, int, int]) -> Image.Image:
    """A bundled grey texture tiled to ``size`` and coloured."""
    tile = _load(name).convert("L")
    out = Image.new("L", size)
    for x in range(0, size[0], tile.width):
        for y in range(0, size[1], tile.height):
            out.paste(tile, (x, y))
    return Image.merge("RGB", [out.point(lambda v, c=c: v * c // 255) for c in tint])


def plate(rng: random.Random) -> Image.Image:
    """A German number plate, 520×110 (its proportions in millimetres): "DU AB 123"-style."""
    image = Image.new("RGB", (520, 110), "white")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, 519, 109), radius=10, outline="black", width=6)
    draw.rectangle((6, 6, 50, 103), fill=(0, 51, 153))
    for i in range(12):  # the ring of stars, as dots
        angle = 2 * math.pi * i / 12
        cx, cy = 28 + 12 * math.cos(angle), 34 + 12 * math.sin(angle)
        draw.ellipse((cx - 2, cy - 2, cx + 2, cy + 2), fill=(255, 204, 0))
    draw.text((28, 80), "D", fill="white", anchor="mm", font=ImageFont.truetype(FONT, 28))
    letters = "".join(rng.choice("ABCDEFGHKLMNPRSTUVWXYZ") for _ in range(rng.randint(1, 2)))
    town, rest = rng.choice(TOWNS), f"{letters} {rng.randint(1, 9999)}"
    size = 86
    while True:  # the largest letters for which town, seals and the rest fit between band and edge
        font = ImageFont.truetype(FONT, size)
        town_width = draw.textlength(town, font=font)
        if 64 + town_width + 56 + draw.textlength(rest, font=font) <= 505 or size <= 40:
            break
        size -= 4
    draw.text((64, 58), town, fill="black", anchor="lm", font=font)
    seal_x = 64 + town_width + 10
    for dy in (-22, 22):
        draw.ellipse((seal_x, 55 + dy - 17, seal_x + 34, 55 + dy + 17), fill=(170, 170, 170), outline="black")
    draw.text((seal_x + 46, 58), rest, fill="black", anchor="lm", font=font)
    return image


def _portrait(name: str, cache: dict) -> tuple[Image.Image, tuple]:
    if name not in cache:
        crop, face = PORTRAITS[name]
        cache[name] = (_load(name).crop(crop), face)
    return cache[name]


def _lfw_portrait(face: Image.Image) -> tuple[Image.Image, tuple]:
    """An LFW face (25×25, the face filling it) on a neutral frame, so the cascades see its edge."""
    frame = Image.new("RGB", (37, 40), (128, 128, 128))
    frame.paste(face, (6, 6))
    return frame, (6, 6, 25, 25)


def _free_spot(size, wanted, rng: random.Random, occupied: list, top: float) -> tuple[int, int]:
    """A random top-left corner where ``wanted`` overlaps nothing pasted before (tries 50 times)."""
    for _ in range(50):
        x = rng.randint(0, max(0, size[0] - wanted[0]))
        y = rng.randint(int(size[1] * top), max(int(size[1] * top), size[1] - wanted[1]))
        rect = (x, y, x + wanted[0], y + wanted[1])
        if not any(r[0] < rect[2] and rect[0] < r[2] and r[1] < rect[3] and rect[1] < r[3] for r in occupied):
            break
    occupied.append(rect)
    return x, y


def _place(scene, subject: Image.Image, face: tuple, face_height: int, rng: random.Random, labels: list,
           kind: str, source: str, occupied: list) -> None:
    """Paste ``subject`` scaled so its labelled box is ``face_height`` high, lit, turned, anywhere."""
    scale = face_height / face[3]
    subject = subject.resize((max(1, round(subject.width * scale)), max(1, round(subject.height * scale))),
                             Image.Resampling.BICUBIC)
    subject = ImageEnhance.Brightness(subject).enhance(rng.uniform(0.6, 1.4))
    angle = rng.uniform(-12, 12) if kind == "face" else rng.uniform(-4, 4)
    turned = subject.convert("RGBA").rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    box = _turned_box([v * scale for v in face], subject.size, turned.size, angle)
    x, y = _free_spot(scene.size, turned.size, rng, occupied, 0.15)
    scene.paste(turned, (x, y), turned)
    labels.append({"kind": kind, "source": source, "box": (box[0] + x, box[1] + y, box[2], box[3]),
                   "height": face_height, "angle": angle})


def _turned_box(box, size, turned_size, angle):
    """The bounding box of ``box`` after turning an image of ``size`` by ``angle`` about its centre."""
    cx, cy = size[0] / 2, size[1] / 2
    tx, ty = turned_size[0] / 2, turned_size[1] / 2
    a = math.radians(-angle)
    corners = [(box[0], box[1]), (box[0] + box[2], box[1]), (box[0], box[1] + box[3]),
               (box[0] + box[2], box[1] + box[3])]
    moved = [(tx + (px - cx) * math.cos(a) - (py - cy) * math.sin(a),
              ty + (px - cx) * math.sin(a) + (py - cy) * math.cos(a)) for px, py in corners]
    xs, ys = [p[0] for p in moved], [p[1] for p in moved]
    return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)


def _street(rng: random.Random, textures: dict) -> Image.Image:
    """Sky, a brick façade with windows, a gravel road; a lamp post."""
    width, height = SIZE
    scene = Image.new("RGB", SIZE, (170, 200, 230))
    facade_top, road_top = rng.randint(60, 200), rng.randint(700, 850)
    scene.paste(textures["brick"].crop((0, 0, width, road_top - facade_top)), (0, facade_top))
    scene.paste(textures["gravel"].crop((0, 0, width, height - road_top)), (0, road_top))
    draw = ImageDraw.Draw(scene)
    for wx in range(rng.randint(20, 90), width - 120, rng.randint(180, 260)):
        for wy in range(facade_top + 40, road_top - 200, rng.randint(170, 230)):
            draw.rectangle((wx, wy, wx + 110, wy + 140), fill=(60, 70, 80), outline=(230, 230, 220), width=8)
            draw.line((wx + 55, wy, wx + 55, wy + 140), fill=(230, 230, 220), width=5)
    post = rng.randint(100, width - 100)
    draw.rectangle((post, facade_top + 100, post + 14, road_top + 60), fill=(50, 55, 50))
    return scene


def _car(scene, rng: random.Random, labels: list, occupied: list) -> None:
    """A car shape with a plate on it."""
    plate_width = rng.randint(80, 260)
    car_w, car_h = int(plate_width * 3.4), int(plate_width * 1.5)
    x, y = _free_spot(scene.size, (car_w, car_h), rng, occupied, 0.55)
    colour = tuple(rng.randint(20, 220) for _ in range(3))
    draw = ImageDraw.Draw(scene)
    draw.rounded_rectangle((x, y, x + car_w, y + car_h), radius=car_h // 5, fill=colour)
    draw.rectangle((x + car_w // 8, y + car_h // 10, x + car_w * 7 // 8, y + car_h * 4 // 10), fill=(40, 50, 60))
    for lx in (x + car_w // 16, x + car_w * 13 // 16):
        draw.rectangle((lx, y + car_h // 2, lx + car_w // 8, y + car_h * 6 // 10), fill=(230, 120, 40))
    sub = Image.new("RGB", (car_w, car_h))
    sub.paste(scene.crop((x, y, x + car_w, y + car_h)))
    plated = plate(rng)
    plate_height = round(plate_width * 110 / 520)
    local: list = []
    _place(sub, plated, (0, 0, 520, 110), plate_height, rng, local, "plate", "german plate", [])
    scene.paste(sub, (x, y))
    bx, by, bw, bh = local[0]["box"]
    labels.append(local[0] | {"box": (bx + x, by + y, bw, bh), "height": plate_width})


def scenes(count: int = 60, seed: int = 7):
    """Yield ``(image, labels)``: street scenes with faces and plates at known boxes (pixels).

    Every fifth scene has nobody and no car in it (false positives only)."""
    rng = random.Random(seed)
    textures = {"brick": _texture("brick", SIZE, (190, 110, 90)), "gravel": _texture("gravel", SIZE, (150, 150, 150))}
    lfw, cache = _lfw_faces(), {}
    for number in range(count):
        scene, labels, occupied = _street(rng, textures), [], []
        if number % 5 != 4:
            for _ in range(rng.randint(0, 2)):
                _car(scene, rng, labels, occupied)
            for _ in range(rng.randint(1, 3)):
                pick = rng.random()
                if pick < 0.25:
                    subject, face = _portrait("astronaut", cache)
                    source = "astronaut"
                elif pick < 0.4:
                    subject, face = _portrait("camera", cache)
                    source = "cameraman (profile)"
                else:
                    subject, face = _lfw_portrait(rng.choice(lfw))
                    source = "lfw_subset"
                _place(scene, subject, face, rng.randint(36, 220), rng, labels, "face", source, occupied)
        yield scene, labels


def _covered(label_box, blurred) -> float:
    """The share of ``label_box`` (x, y, w, h) inside ``blurred`` (left, top, right, bottom)."""
    x, y, w, h = label_box
    ix = max(0.0, min(x + w, blurred[2]) - max(x, blurred[0]))
    iy = max(0.0, min(y + h, blurred[3]) - max(y, blurred[1]))
    return ix * iy / (w * h) if w * h else 0.0


def score(labels: list[dict], regions: list[dict], size=SIZE) -> dict:
    """Which labels the regions blur, and how many regions blur nothing labelled."""
    from mapapp.photos.blur import pixel_box

    boxes = [pixel_box(region, size) for region in regions]
    found = [any(_covered(label["box"], box) >= COVERED for box in boxes) for label in labels]
    false = sum(1 for box in boxes if not any(_covered(label["box"], box) > 0.2 for label in labels))
    return {"found": found, "false_positives": false}


def measure(count: int = 60, seed: int = 7, keep: Path | None = None) -> dict:
    """Run the app's detector over the labelled set; return the counts by kind and by source."""
    from mapapp.photos import blur

    by_source: dict[str, list[int]] = {}
    totals = {"face": [0, 0], "plate": [0, 0]}
    false_positives, seconds, images = 0, 0.0, 0
    for number, (scene, labels) in enumerate(scenes(count, seed)):
        started = time.perf_counter()
        regions = blur.detect(scene)
        seconds += time.perf_counter() - started
        result = score(labels, regions)
        images += 1
        false_positives += result["false_positives"]
        for label, hit in zip(labels, result["found"]):
            totals[label["kind"]][0] += hit
            totals[label["kind"]][1] += 1
            for group in (label["source"], _band(label)):
                tally = by_source.setdefault(group, [0, 0])
                tally[0] += hit
                tally[1] += 1
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            blur.apply(scene, regions).save(keep / f"scene-{number:03d}.jpg", quality=80)
    return {"images": images, "faces": totals["face"], "plates": totals["plate"], "by_source": by_source,
            "false_positives": false_positives, "seconds_per_image": seconds / max(images, 1)}


def _band(label: dict) -> str:
    """The label's size band (face height, plate width in pixels of the 1600 px scene) and tilt."""
    if label["kind"] == "plate":
        return f"plates {'< 140' if label['height'] < 140 else '≥ 140'} px wide"
    size = "< 60" if label["height"] < 60 else "60–120" if label["height"] < 120 else "≥ 120"
    return f"faces {size} px high, {'tilted ≥ 6°' if abs(label['angle']) >= 6 else 'upright (< 6°)'}"


def _rate(pair) -> float:
    return pair[0] / pair[1] if pair[1] else float("nan")


def section(result: dict) -> tuple[list[str], list[tuple]]:
    """The markdown section and target rows for ``bench/report.py``."""
    faces, plates = result["faces"], result["plates"]
    lines = ["## Blurring faces and number plates", "",
             f"{result['images']} street scenes (1600×1200, built offline from scikit-image samples and "
             f"Pillow-drawn German plates); a label counts as found when the blurred area covers "
             f"≥ {COVERED:.0%} of it. Detection {result['seconds_per_image']:.2f} s per image.", "",
             "| labelled (by source, then by size and tilt) | found | recall |", "|---|---:|---:|"]
    for source, pair in sorted(result["by_source"].items()):
        lines.append(f"| {source} | {pair[0]} of {pair[1]} | {_rate(pair):.2f} |")
    lines += ["", f"False positives: {result['false_positives']} in {result['images']} images "
                  f"({result['false_positives'] / max(result['images'], 1):.2f} per image).", ""]
    return lines, [
        ("blur: face recall", f"{_rate(faces):.2f} ({faces[0]}/{faces[1]})", f"≥ {FACE_RECALL_TARGET}",
         _rate(faces) >= FACE_RECALL_TARGET),
        ("blur: plate recall", f"{_rate(plates):.2f} ({plates[0]}/{plates[1]})", "–", None),
        ("blur: false positives per image", f"{result['false_positives'] / max(result['images'], 1):.2f}", "–",
         None),
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--scenes", type=int, default=60, help="scenes in the labelled set (default 60)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the set (default 7)")
    parser.add_argument("--keep", type=Path, help="write the blurred scenes into this directory to look at")
    args = parser.parse_args(argv)
    lines, targets = section(measure(args.scenes, args.seed, args.keep))
    print("\n".join(lines))
    print("\n".join(f"{name}: {got} (target {want})" for name, got, want, _ok in targets))
    return 0


if __name__ == "__main__":
    sys.exit(main())
