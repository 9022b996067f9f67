"""Where photo files live: a small key/value interface and a local-directory backend.

Keys are content hashes (``ab/abcdef…_web.jpg``), so a file never changes once written
and may be cached forever; an object store (S3 and friends) can implement the same
four methods later without the rest of the app noticing. ``create_app`` sets each app's
storage up (``init_app``); requests reach it through ``current_storage()``.
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import Flask, current_app

from mapapp.config import var_dir

KINDS = ("web", "thumb")  # the renditions served (blurred)
# The unblurred original, kept only with KEEP_UNBLURRED_ORIGINALS: stored, never served or exported.
ORIGINAL = "original"
KEY = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{64}_[a-z]+\.jpg$")
STORED_SHA256 = re.compile(r"[0-9a-f]{64}")


def served_key(stored_sha256: str, kind: str) -> str | None:
    """The storage key of a rendition a URL names (``web`` or ``thumb``); None for anything else,
    the unblurred original included."""
    if kind not in KINDS or not STORED_SHA256.fullmatch(stored_sha256):
        return None
    return photo_key(stored_sha256, kind)


def file_source(store: "Storage", key: str):
    """What ``send_file`` reads: the file's path on local disk, else an open stream."""
    return store.path(key) if isinstance(store, LocalStorage) else store.open(key)


def photo_key(sha256: str, kind: str) -> str:
    """Return the storage key of one rendition (``web``, ``thumb`` or ``original``) of a stored photo."""
    if kind not in KINDS and kind != ORIGINAL:
        raise ValueError(f"unknown photo kind {kind!r}")
    return f"{sha256[:2]}/{sha256}_{kind}.jpg"


class Storage(Protocol):
    """What the photo service needs from a place to keep files."""

    def put(self, key: str, data: bytes) -> None: ...

    def open(self, key: str) -> BinaryIO: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...


class LocalStorage:
    """Files under ``root``, written atomically (temp file in the same directory, then rename)."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root).resolve()  # absolute: Flask's send_file reads relative paths from the package

    def path(self, key: str) -> Path:
        """Return the file for ``key``; only content-hash keys are accepted, so no '..' escapes."""
        if not KEY.match(key):
            raise ValueError(f"not a storage key: {key!r}")
        return self.root / key

    def put(self, key: str, data: bytes) -> None:
        target = self.path(key)
        if target.exists():
            return  # same key, same content
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp, 0o644)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def open(self, key: str) -> BinaryIO:
        return self.path(key).open("rb")

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)


def init_app(app: Flask) -> None:
    """Keep photos under ``UPLOAD_DIR`` (default ``var/uploads``) unless a storage was set."""
    app.extensions.setdefault("photo_storage", LocalStorage(app.config.get("UPLOAD_DIR") or var_dir() / "uploads"))


def current_storage() -> Storage:
    """The storage of the app serving this request (``app.extensions["photo_storage"]``)."""
    return current_app.extensions["photo_storage"]
