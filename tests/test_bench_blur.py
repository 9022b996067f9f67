"""The blurring benchmark's labelled set is built offline and labelled where things were pasted."""
import random

from bench import blur as bench


def test_scenes_are_labelled_inside_the_picture():
    made = list(bench.scenes(5, seed=3))
    assert len(made) == 5 and made[4][1] == []  # every fifth scene has nobody in it
    kinds = {label["kind"] for _scene, labels in made for label in labels}
    assert kinds == {"face", "plate"}
    for scene, labels in made:
        assert scene.size == bench.SIZE
        for label in labels:
            x, y, w, h = label["box"]
            assert -1 <= x and -1 <= y and x + w <= scene.width + 1 and y + h <= scene.height + 1 and w > 10


def test_a_plate_is_white_with_the_blue_band():
    plate = bench.plate(random.Random(1))
    assert plate.size == (520, 110)
    assert plate.getpixel((28, 60))[2] > 120 > plate.getpixel((28, 60))[0]  # the EU band
    assert plate.getpixel((510, 55)) == (255, 255, 255)


def test_score_counts_covered_labels_and_stray_boxes():
    labels = [{"kind": "face", "source": "x", "box": (100, 100, 50, 50)}]
    hit = {"x": 90 / 1600, "y": 90 / 1200, "w": 70 / 1600, "h": 70 / 1200, "kind": "face", "source": "manual"}
    stray = dict(hit, x=0.9, y=0.9)
    assert bench.score(labels, [hit, stray]) == {"found": [True], "false_positives": 1}
    assert bench.score(labels, [stray]) == {"found": [False], "false_positives": 1}
