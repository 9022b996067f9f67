"""Reading a PMTiles archive on the server: tiles by z/x/y, their sizes, the archive's summary.

Flask-free. A ``Basemap`` is opened once per process and shared by all threads: the file is
memory-mapped read-only (slicing a mapping is safe from any thread) and the directories,
once parsed, are kept in a bounded cache.
"""
from __future__ import annotations

import functools
import hashlib
import mmap
from dataclasses import dataclass
from pathlib import Path

from pmtiles.tile import Compression, TileType, deserialize_directory, deserialize_header, find_tile, zxy_to_tileid

# URL suffix and media type of each tile type the app serves.
TILE_FORMATS = {
    TileType.MVT: ("mvt", "application/vnd.mapbox-vector-tile"),
    TileType.PNG: ("png", "image/png"),
    TileType.JPEG: ("jpg", "image/jpeg"),
    TileType.WEBP: ("webp", "image/webp"),
    TileType.AVIF: ("avif", "image/avif"),
}
# How the tiles are stored → the Content-Encoding they are served with (None: as they are).
ENCODINGS = {Compression.NONE: None, Compression.UNKNOWN: None, Compression.GZIP: "gzip"}
MAX_DIRECTORY_DEPTH = 4  # the PMTiles spec's limit on root → leaf nesting
HEADER_BYTES = 127


class ArchiveError(Exception):
    """The file is not a PMTiles archive this app can serve."""


@dataclass(frozen=True)
class Tile:
    """One stored tile: its bytes as stored (``encoding`` says how they are compressed)."""

    data: bytes
    etag: str
    encoding: str | None


class Basemap:
    """A PMTiles (v3) archive, opened once and read from many threads."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            with open(self.path, "rb") as file:
                self._bytes = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError) as err:
            raise ArchiveError(f"cannot read {self.path}: {err}") from err
        try:
            self.header = deserialize_header(self._bytes[:HEADER_BYTES])
        except Exception as err:  # the pmtiles package raises bare exceptions for foreign files
            raise ArchiveError(f"{self.path} is not a PMTiles v3 archive") from err
        if self.header["tile_type"] not in TILE_FORMATS:
            raise ArchiveError(f"{self.path}: tile type {self.header['tile_type'].name} is not supported")
        if self.header["tile_compression"] not in ENCODINGS:
            raise ArchiveError(f"{self.path}: tile compression {self.header['tile_compression'].name} "
                               "is not supported (only none or gzip)")
        # Tiles are identified by their place in the archive; this tells archives apart.
        self.fingerprint = hashlib.sha256(self._bytes[:HEADER_BYTES] + str(len(self._bytes)).encode()).hexdigest()[:16]
        self._directory = functools.lru_cache(maxsize=256)(self._read_directory)

    @property
    def suffix(self) -> str:
        return TILE_FORMATS[self.header["tile_type"]][0]

    @property
    def media_type(self) -> str:
        return TILE_FORMATS[self.header["tile_type"]][1]

    @property
    def is_vector(self) -> bool:
        return self.header["tile_type"] == TileType.MVT

    def summary(self) -> dict:
        """Bounds ``[west, south, east, north]``, zoom range and tile type."""
        h = self.header
        return {
            "bounds": [h["min_lon_e7"] / 1e7, h["min_lat_e7"] / 1e7, h["max_lon_e7"] / 1e7, h["max_lat_e7"] / 1e7],
            "min_zoom": h["min_zoom"],
            "max_zoom": h["max_zoom"],
            "tile_type": TILE_FORMATS[h["tile_type"]][0],
        }

    def _read_directory(self, offset: int, length: int):
        return deserialize_directory(self._bytes[offset:offset + length])

    def _entry(self, z: int, x: int, y: int):
        """The directory entry holding tile z/x/y (its data's offset and length), or None."""
        h = self.header
        if not h["min_zoom"] <= z <= h["max_zoom"]:
            return None
        tile_id = zxy_to_tileid(z, x, y)
        offset, length = h["root_offset"], h["root_length"]
        for _depth in range(MAX_DIRECTORY_DEPTH):
            entry = find_tile(self._directory(offset, length), tile_id)
            if entry is None:
                return None
            if entry.run_length > 0:
                return entry
            offset, length = h["leaf_directory_offset"] + entry.offset, entry.length
        return None

    def tile(self, z: int, x: int, y: int) -> Tile | None:
        """The stored tile z/x/y, or None when the archive lacks it. Coordinates must be on the grid."""
        entry = self._entry(z, x, y)
        if entry is None:
            return None
        start = self.header["tile_data_offset"] + entry.offset
        return Tile(data=self._bytes[start:start + entry.length],
                    etag=f"{self.fingerprint}-{entry.offset:x}-{entry.length:x}",
                    encoding=ENCODINGS[self.header["tile_compression"]])

    def tile_size(self, z: int, x: int, y: int) -> int | None:
        """Bytes of tile z/x/y as stored (from the directory alone), or None when it is missing."""
        entry = self._entry(z, x, y)
        return None if entry is None else entry.length
