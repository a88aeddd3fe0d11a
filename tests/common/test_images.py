"""The one thumbnail maker of uploaded pictures (reports' photos, contest entries' drawings)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from civicplan.common.images import thumbnail


def picture(width: int, height: int, kind: str = "JPEG", exif_rotation: int | None = None) -> bytes:
    image = Image.new("RGB", (width, height), "#36a")
    stream = io.BytesIO()
    if exif_rotation is None:
        image.save(stream, kind)
    else:
        exif = Image.Exif()
        exif[0x0112] = exif_rotation  # Orientation
        image.save(stream, kind, exif=exif)
    return stream.getvalue()


def test_a_real_jpeg_within_the_size_and_the_pictures_own_size() -> None:
    small, width, height = thumbnail("двор.png", picture(1200, 900, "PNG"), (480, 480))
    assert (width, height) == (1200, 900)
    with Image.open(io.BytesIO(small)) as made:
        assert made.format == "JPEG"
        assert made.size == (480, 360)


def test_upright_as_the_camera_held_it() -> None:
    small, width, height = thumbnail("фото.jpg", picture(800, 400, exif_rotation=6), (640, 640))
    assert (width, height) == (800, 400)
    with Image.open(io.BytesIO(small)) as made:
        assert made.size == (320, 640)


def test_a_bomb_is_refused_undecoded_and_garbage_named(settings) -> None:
    settings.CIVICPLAN_REPORT_MAX_PIXELS = 1000
    with pytest.raises(ValidationError, match="слишком велико: 100 × 100"):
        thumbnail("бомба.png", picture(100, 100, "PNG"), (480, 480))
    with pytest.raises(ValidationError, match=r"«битый\.jpg» не читается"):
        thumbnail("битый.jpg", b"\xff\xd8\xff" + b"\0" * 100, (480, 480))
