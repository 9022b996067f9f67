"""static/js/shared/sha256.js in Chromium: the fallback the outbox names photos with where a page on plain
http has no crypto.subtle gives the FIPS 180-2 digests, also through sha256Hex with subtle gone."""
import hashlib

import pytest

pytestmark = pytest.mark.browser

# FIPS 180-2, appendix B (and the empty message): message → SHA-256 in hex.
FIPS_VECTORS = {
    "abc": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    "": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq":
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    "a" * 1_000_000: "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
}
# Several 64-byte blocks of every byte value, and every length around the padding edges (55/56/64 bytes).
BINARY = bytes(range(256)) * 5 + bytes(range(255, 118, -1))
EDGE_LENGTHS = list(range(0, 130)) + [len(BINARY)]

DIGEST_IN_PAGE = """async ([texts, binary, lengths, viaBlob]) => {
  const { sha256Bytes, sha256Hex } = await import('/static/js/shared/sha256.js');
  const digest = (bytes) => (viaBlob ? sha256Hex(new Blob([bytes])) : sha256Bytes(bytes));
  const data = Uint8Array.from(binary);
  const out = { texts: {}, binary: {} };
  for (const text of texts) out.texts[text] = await digest(new TextEncoder().encode(text));
  for (const length of lengths) out.binary[length] = await digest(data.subarray(0, length));
  return out;
}"""
HIDE_SUBTLE = "Object.defineProperty(Crypto.prototype, 'subtle', { get: () => undefined, configurable: true });"


def digests_in_page(page, via_blob: bool) -> dict:
    page.goto("/")
    return page.evaluate(DIGEST_IN_PAGE, [list(FIPS_VECTORS), list(BINARY), EDGE_LENGTHS, via_blob])


def check(result: dict) -> None:
    assert result["texts"] == FIPS_VECTORS
    assert result["binary"] == {str(n): hashlib.sha256(BINARY[:n]).hexdigest() for n in EDGE_LENGTHS}


def test_the_fallback_gives_the_fips_digests(desktop):
    check(digests_in_page(desktop, via_blob=False))


def test_a_page_without_crypto_subtle_names_blobs_by_the_fallback(desktop):
    """As on plain http: sha256Hex finds no crypto.subtle and still gives the right digests."""
    desktop.context.add_init_script(HIDE_SUBTLE)
    desktop.goto("/")
    assert desktop.evaluate("() => globalThis.crypto.subtle") is None
    check(digests_in_page(desktop, via_blob=True))
