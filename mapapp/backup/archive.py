"""Backup and restore: one tar archive holding a ``pg_dump -Fc`` of the database, the photo
files the database refers to, and a manifest (when, versions, counts, sha256 of each part).

The counts, the dump and the list of photo files all come from ONE exported snapshot
(``pg_export_snapshot`` + ``pg_dump --snapshot``), so they agree even while the app keeps
taking findings. Photos are read and written through the photo storage interface
(``open``/``put``/``exists``), so the same code serves a local directory or an object store.
Restore goes into an empty database (``pg_restore --single-transaction``: all or nothing),
puts the photos back, and checks the counts and files against the manifest. No Flask here.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from mapapp.photos.storage import KEY, KINDS, Storage, photo_key

FORMAT = "mapapp-backup/1"
MANIFEST, DUMP, PHOTOS = "manifest.json", "database.dump", "photos/"
CHUNK = 1024 * 1024


class BackupError(RuntimeError):
    """The backup or restore cannot be done; the message says why."""


@dataclass
class Target:
    """A database as libpq wants it: a URI without the password, the password in the environment."""

    uri: str
    env: dict

    @classmethod
    def from_url(cls, url: str) -> "Target":
        parsed = make_url(url)
        env = dict(os.environ)
        if parsed.password:
            env["PGPASSWORD"] = parsed.password
        plain = parsed.set(drivername="postgresql", password=None)
        return cls(plain.render_as_string(hide_password=False), env)

    def connect(self, **kw) -> psycopg.Connection:
        return psycopg.connect(self.uri, password=self.env.get("PGPASSWORD"), **kw)


def _tool_major(path: Path) -> int:
    out = subprocess.run([str(path), "--version"], capture_output=True, text=True, check=True).stdout
    found = re.search(r"\(PostgreSQL\)\s+(\d+)", out)
    return int(found.group(1)) if found else 0


def pg_tool(name: str, server_major: int) -> Path:
    """Return ``pg_dump``/``pg_restore`` of the server's major version (or newer): Debian's
    versioned directory, the embedded cluster's bindir, or the one on PATH."""
    from mapapp.devtools.embedded_pg import find_bindir

    candidates = [Path(f"/usr/lib/postgresql/{server_major}/bin/{name}")]
    bindir = find_bindir()
    if bindir:
        candidates.append(bindir / name)
    if shutil.which(name):
        candidates.append(Path(shutil.which(name)))
    for candidate in candidates:
        if candidate.is_file() and _tool_major(candidate) >= server_major:
            return candidate
    raise BackupError(f"{name} for PostgreSQL {server_major} (or newer) not found; "
                      f"install the PostgreSQL {server_major} client tools (postgresql-client-{server_major}).")


def _run(cmd: list, env: dict) -> None:
    result = subprocess.run([str(part) for part in cmd], capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise BackupError(f"{Path(cmd[0]).name} failed:\n{result.stderr.strip()}")


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as src:
        while block := src.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _photos_digest(files: dict[str, str]) -> str:
    """One digest over every photo file: its key and sha256, in key order."""
    return hashlib.sha256("".join(f"{k} {files[k]}\n" for k in sorted(files)).encode()).hexdigest()


def _counts(cur) -> dict:
    return {
        "findings": cur.execute("SELECT count(*) FROM findings").fetchone()[0],
        "photos": cur.execute("SELECT count(*) FROM photos").fetchone()[0],
    }


def _app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mapapp")
    except PackageNotFoundError:
        return "unknown"


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(datetime.now().timestamp()), 0o644
    tar.addfile(info, io.BytesIO(data))


def backup(url: str, storage: Storage, out: Path) -> dict:
    """Write the archive ``out`` for the database at ``url`` and its photos; return the manifest."""
    target = Target.from_url(url)
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="mapapp-backup-") as tmp, target.connect() as conn:
        dump = Path(tmp) / DUMP
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        with conn.cursor() as cur:
            snapshot = cur.execute("SELECT pg_export_snapshot()").fetchone()[0]
            server_major = int(cur.execute("SHOW server_version_num").fetchone()[0]) // 10000
            revision = cur.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            counts = _counts(cur)
            hashes = [row[0] for row in cur.execute("SELECT DISTINCT stored_sha256 FROM photos")]
            _run([pg_tool("pg_dump", server_major), "--format=custom", f"--snapshot={snapshot}",
                  f"--file={dump}", f"--dbname={target.uri}"], target.env)
        conn.rollback()
        tmp_out = out.with_name(f".{out.name}.part")
        try:
            with tarfile.open(tmp_out, "w") as tar:
                tar.add(dump, arcname=DUMP)
                files, missing = _add_photos(tar, storage, hashes)
                manifest = {
                    "format": FORMAT, "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "app_version": _app_version(), "alembic_revision": revision,
                    "postgresql_major": server_major, "counts": counts,
                    "photo_files": len(files), "missing_photo_files": missing,
                    "sha256": {DUMP: _sha256_file(dump), PHOTOS: _photos_digest(files)},
                }
                _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
            os.replace(tmp_out, out)
        finally:
            tmp_out.unlink(missing_ok=True)
    return manifest


def _add_photos(tar: tarfile.TarFile, storage: Storage, hashes: list[str]) -> tuple[dict, list]:
    """Add every rendition of the photos in ``hashes``; return {key: sha256} and the missing keys."""
    files, missing = {}, []
    for stored in sorted(hashes):
        for kind in KINDS:
            key = photo_key(stored, kind)
            if not storage.exists(key):
                missing.append(key)
                continue
            with storage.open(key) as src:
                data = src.read()
            files[key] = hashlib.sha256(data).hexdigest()
            _add_bytes(tar, PHOTOS + key, data)
    return files, missing


def _read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except (KeyError, ValueError, TypeError):
        raise BackupError("not a mapapp backup: manifest.json is missing or unreadable") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r} (expected {FORMAT})")
    return manifest


def _user_tables(cur) -> list[str]:
    """Tables in the database that no extension owns (PostGIS's spatial_ref_sys does not count)."""
    return [row[0] for row in cur.execute("""
        SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg_toast%' AND NOT EXISTS (
              SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                AND d.deptype = 'e')
        ORDER BY 1""")]


def restore(url: str, storage: Storage, archive: Path, force: bool = False) -> dict:
    """Restore ``archive`` into the (empty) database at ``url`` and its photos into ``storage``.

    Refuses a database that already holds tables unless ``force`` (then pg_restore drops
    the objects of the dump before re-creating them). Returns the manifest and what was found.
    """
    target = Target.from_url(url)
    with tarfile.open(archive, "r") as tar, tempfile.TemporaryDirectory(prefix="mapapp-restore-") as tmp:
        manifest = _read_manifest(tar)
        with target.connect(autocommit=True) as conn, conn.cursor() as cur:
            server_major = int(cur.execute("SHOW server_version_num").fetchone()[0]) // 10000
            replace = _refuse_unless_empty(cur, force)
        dump = _verified_dump(tar, Path(tmp), manifest)
        photos = _verified_photos(tar, manifest)
        cmd = [pg_tool("pg_restore", server_major), "--no-owner", "--no-privileges", "--exit-on-error",
               "--single-transaction", f"--dbname={target.uri}"]
        if replace:
            cmd += ["--clean", "--if-exists"]
        _run([*cmd, dump], target.env)
        for key, member in photos:
            storage.put(key, tar.extractfile(member).read())
    return {"manifest": manifest, "found": check(url, storage, manifest)}


def _refuse_unless_empty(cur, force: bool) -> bool:
    """Raise unless the database holds no tables or ``force``; return whether it holds some."""
    tables = _user_tables(cur)
    if tables and not force:
        held = ""
        if "public.findings" in tables:
            rows = cur.execute("SELECT count(*) FROM findings").fetchone()[0]
            held = f", among them findings with {rows} rows"
        raise BackupError(f"the database is not empty ({len(tables)} tables{held}); restore into an "
                          "empty database, or pass --force to replace what the backup contains")
    return bool(tables)


def _verified_dump(tar: tarfile.TarFile, tmp: Path, manifest: dict) -> Path:
    dump = tmp / DUMP
    with tar.extractfile(DUMP) as src, dump.open("wb") as out:
        shutil.copyfileobj(src, out, CHUNK)
    if _sha256_file(dump) != manifest["sha256"][DUMP]:
        raise BackupError("database.dump does not match the manifest's sha256: the archive is damaged")
    return dump


def _verified_photos(tar: tarfile.TarFile, manifest: dict) -> list[tuple[str, tarfile.TarInfo]]:
    """The archive's photo files as (storage key, member), checked against the manifest before
    anything is restored; only content-hash keys are taken, so no path leaves the store."""
    photos, files = [], {}
    for member in tar:
        if not member.name.startswith(PHOTOS) or not member.isfile():
            continue
        key = member.name[len(PHOTOS):]
        if not KEY.match(key):
            raise BackupError(f"unexpected file in the archive: {member.name}")
        files[key] = hashlib.sha256(tar.extractfile(member).read()).hexdigest()
        photos.append((key, member))
    if _photos_digest(files) != manifest["sha256"][PHOTOS]:
        raise BackupError("the photo files do not match the manifest's sha256: the archive is damaged")
    return photos


def check(url: str, storage: Storage, manifest: dict) -> dict:
    """Compare the restored database and photo files with the manifest; raise when they differ."""
    with Target.from_url(url).connect() as conn, conn.cursor() as cur:
        counts = _counts(cur)
        hashes = [row[0] for row in cur.execute("SELECT DISTINCT stored_sha256 FROM photos")]
    if counts != manifest["counts"]:
        raise BackupError(f"restored counts {counts} differ from the backup's {manifest['counts']}")
    absent = [photo_key(h, kind) for h in hashes for kind in KINDS
              if not storage.exists(photo_key(h, kind))]
    unexpected = sorted(set(absent) - set(manifest.get("missing_photo_files", [])))
    if unexpected:
        raise BackupError(f"{len(unexpected)} photo files are missing after the restore, e.g. {unexpected[0]}")
    return {**counts, "photo_files": sum(1 for h in hashes for _k in KINDS) - len(absent)}
