"""The local photo storage: content-hash keys, atomic writes, nothing outside its root."""
import hashlib

import pytest

from mapapp.photos.storage import LocalStorage, photo_key

SHA = hashlib.sha256(b"photo").hexdigest()


def test_put_open_exists_delete(tmp_path):
    storage = LocalStorage(tmp_path / "uploads")
    key = photo_key(SHA, "web")
    assert key == f"{SHA[:2]}/{SHA}_web.jpg"
    assert not storage.exists(key)
    storage.put(key, b"jpeg bytes")
    assert storage.exists(key)
    with storage.open(key) as stored:
        assert stored.read() == b"jpeg bytes"
    assert storage.path(key) == tmp_path / "uploads" / SHA[:2] / f"{SHA}_web.jpg"
    assert [p.name for p in storage.path(key).parent.iterdir()] == [f"{SHA}_web.jpg"]  # no temp files left
    storage.delete(key)
    storage.delete(key)
    assert not storage.exists(key)


@pytest.mark.parametrize("key", ["../../etc/passwd", f"{SHA[:2]}/../{SHA}_web.jpg", "ab/notahash_web.jpg", "/abs"])
def test_only_content_hash_keys(tmp_path, key):
    with pytest.raises(ValueError):
        LocalStorage(tmp_path).put(key, b"x")


def test_unknown_kind_refused():
    with pytest.raises(ValueError):
        photo_key(SHA, "raw")


def test_a_kept_original_has_a_key_of_its_own():
    assert photo_key(SHA, "original") == f"{SHA[:2]}/{SHA}_original.jpg"
