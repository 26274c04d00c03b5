"""Optical character recognition of page images with Tesseract (Debian `tesseract-ocr` and
`tesseract-ocr-eng`), bounded in pixels, pages and seconds.

Tesseract runs as a subprocess, given a PNG on stdin and printing text on stdout: no temporary
files, and `subprocess.run(timeout=...)` kills a page that takes too long. A wrapper such as
pytesseract would add a dependency around that same subprocess call (it also writes temporary
files), so it is not used.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess

from PIL import Image

from .base import DocumentError

# A scanned page takes seconds to recognise (docs/formats.md); 60 s bounds a pathological one.
OCR_SECONDS_PER_PAGE = 60.0
# A 100-page scan takes several minutes on two cores: more is refused, not queued for an hour.
MAX_OCR_PAGES = 100
# 300 dpi is the resolution Tesseract is trained for; a page rendered larger gains nothing.
OCR_DPI = 300
# Pillow's own decompression-bomb bound (89.5 M pixels, a 300 dpi page of 0.8 x 1.1 m); an image
# past it is refused before its pixels are decoded.
MAX_PIXELS = Image.MAX_IMAGE_PIXELS or 89_478_485
LANGUAGE = "eng"
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-eng"


def tesseract_path() -> str | None:
    """The tesseract binary, or None when it is not installed."""
    return shutil.which("tesseract")


def ocr_missing_reason() -> str | None:
    """Why OCR cannot run here (no binary, no English model), or None when it can."""
    binary = tesseract_path()
    if binary is None:
        return f"tesseract is not installed ({INSTALL_HINT})"
    try:
        listed = subprocess.run(
            [binary, "--list-langs"], capture_output=True, timeout=30, check=False
        ).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"tesseract does not run ({err})"
    if LANGUAGE not in listed.split():
        return f"tesseract has no English model ({INSTALL_HINT})"
    return None


def check_pages(doc_id: str, count: int) -> None:
    """DocumentError when more pages need OCR than one document may have recognised."""
    if count > MAX_OCR_PAGES:
        raise DocumentError(
            f"{doc_id}: {count} pages need OCR (no text layer), more than the {MAX_OCR_PAGES} "
            "read per document; split the file or give it a text layer"
        )


def check_pixels(doc_id: str, width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise DocumentError(
            f"{doc_id}: an image of {width} x {height} pixels, more than the "
            f"{MAX_PIXELS // 1_000_000} million pixels read here (a decompression bomb?)"
        )


def recognise(image: Image.Image, doc_id: str, page: int) -> str:
    """The text Tesseract reads on one page image; DocumentError if it cannot run or overruns."""
    binary = tesseract_path()
    if binary is None:
        raise DocumentError(
            f"{doc_id}: page {page} has no text layer and OCR needs Tesseract ({INSTALL_HINT})"
        )
    check_pixels(doc_id, image.width, image.height)
    buffer = io.BytesIO()
    image.convert("L").save(buffer, format="PNG")
    # One thread per page: Tesseract's OpenMP threads slow it down on a shared 2-core machine.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(
            [binary, "-", "-", "-l", LANGUAGE, "--psm", "3"],
            input=buffer.getvalue(),
            capture_output=True,
            timeout=OCR_SECONDS_PER_PAGE,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as err:
        raise DocumentError(
            f"{doc_id}: OCR of page {page} took longer than {OCR_SECONDS_PER_PAGE:.0f} s"
        ) from err
    except OSError as err:
        raise DocumentError(f"{doc_id}: OCR could not start ({err.strerror})") from err
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = lines[-1] if lines else f"exit status {done.returncode}"
        raise DocumentError(f"{doc_id}: OCR of page {page} failed ({reason})")
    return done.stdout.decode("utf-8", "replace")
