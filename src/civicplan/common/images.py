"""Pictures people upload (a closing report's photos, a contest entry's drawings): a real
thumbnail made by Pillow, so pages never load the whole picture scaled by CSS."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def thumbnail(name: str, content: bytes, size: tuple[int, int]) -> tuple[bytes, int, int]:
    """A JPEG at most `size` pixels, upright as the camera held it, and the picture's own width
    and height. The size is read from the header first, so a picture of more than
    CIVICPLAN_REPORT_MAX_PIXELS (a decompression bomb) is refused undecoded; ValidationError
    naming the file when it is too large or unreadable."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
            if width * height > settings.CIVICPLAN_REPORT_MAX_PIXELS:
                raise ValidationError(
                    _("Изображение «%(name)s» слишком велико: %(width)d × %(height)d точек.")
                    % {"name": name, "width": width, "height": height}
                )
            picture = ImageOps.exif_transpose(image).convert("RGB")
            picture.thumbnail(size)
            out = io.BytesIO()
            picture.save(out, "JPEG", quality=82, optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(_("Изображение «%(name)s» не читается.") % {"name": name}) from error
    return out.getvalue(), width, height
