"""Images (.png, .jpg/.jpeg, .tif/.tiff): text recognised by Tesseract (`ocr`), one page per
image, or per frame of a multi-page TIFF, so a passage cites the page it was read from.

Bounded before any pixel is decoded: the image's size against `ocr.MAX_PIXELS` (Pillow reads it
from the header), its frames against `ocr.MAX_OCR_PAGES`; each page against the OCR time limit.
"""

from __future__ import annotations

import io
import warnings
from pathlib import PurePosixPath

from PIL import Image, UnidentifiedImageError

from . import ocr
from .base import DocumentError, Format, Read
from .pdf_clean import page_lines
from .pdf_layout import choose_title, join_lines


def read(data: bytes, doc_id: str) -> Read:
    pages = [page_lines(text) for text in _recognise_frames(data, doc_id)]
    text, page_map, headings = join_lines(pages, [str(n) for n in range(1, len(pages) + 1)])
    stem = PurePosixPath(doc_id).stem or doc_id
    # No metadata and no type sizes: a recognised heading, else the file's name.
    return Read(text, page_map, headings, choose_title("", "", [], headings, stem))


def _recognise_frames(data: bytes, doc_id: str) -> list[str]:
    try:
        with warnings.catch_warnings():
            # Pillow warns between MAX_IMAGE_PIXELS and twice that; the check below decides.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            warnings.simplefilter(
                "ignore", UserWarning
            )  # "Corrupt EXIF data": damaged files fail below
            with Image.open(io.BytesIO(data)) as image:
                ocr.check_pixels(doc_id, image.width, image.height)
                frames = getattr(image, "n_frames", 1)
                ocr.check_pages(doc_id, frames)
                texts = []
                for index in range(frames):
                    image.seek(index)
                    ocr.check_pixels(doc_id, image.width, image.height)
                    frame = image.convert("L")  # decodes this frame only
                    texts.append(ocr.recognise(frame, doc_id, index + 1))
    except DocumentError:
        raise
    except Image.DecompressionBombError as err:  # Pillow's own check: past twice its bound
        bound = ocr.MAX_PIXELS // 1_000_000
        raise DocumentError(
            f"{doc_id}: an image of more than {2 * bound} million pixels, past the {bound} "
            "million pixels read here (a decompression bomb?)"
        ) from err
    except UnidentifiedImageError as err:
        raise DocumentError(f"{doc_id}: not a readable image") from err
    except (OSError, ValueError, SyntaxError, EOFError) as err:
        # Truncated or damaged image data fails inside Pillow's decoders in these shapes.
        raise DocumentError(f"{doc_id}: not a readable image ({err})") from err
    if not any(t.strip() for t in texts):
        raise DocumentError(f"{doc_id}: OCR found no text in the image")
    return texts


FORMATS = (Format("image", (".png", ".jpg", ".jpeg", ".tif", ".tiff"), read, locator="page"),)
