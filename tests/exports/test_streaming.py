"""The web download streams: the writer's output arrives in bounded chunks, errors surface."""
import pytest

from mapapp.exports.streaming import CHUNK, iter_chunks


def test_chunks_arrive_in_order_and_bounded():
    def run(out):
        for i in range(40):
            out.write(bytes([65 + i % 26]) * 10_000)

    chunks = list(iter_chunks(run))
    assert len(chunks) > 3
    assert all(len(chunk) < CHUNK + 10_000 for chunk in chunks)
    assert b"".join(chunks) == b"".join(bytes([65 + i % 26]) * 10_000 for i in range(40))


def test_writer_error_is_raised_to_the_reader():
    def run(out):
        out.write(b"x")
        raise RuntimeError("kaputt")

    with pytest.raises(RuntimeError, match="kaputt"):
        list(iter_chunks(run))


def test_reader_going_away_stops_the_writer():
    written = []

    def run(out):
        for _ in range(10_000):
            out.write(b"y" * CHUNK)
            written.append(1)

    chunks = iter_chunks(run, depth=2)
    next(chunks)
    chunks.close()
    assert len(written) < 100
