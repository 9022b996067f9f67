"""Turn a push-style ``write(session, selection, out)`` into an iterator of byte chunks.

The writer runs in a worker thread against a bounded queue, so a web response can stream
an export of any size in constant memory (the queue holds at most ``depth`` chunks).
"""
import queue
import threading
from typing import Callable, Iterator

CHUNK = 64 * 1024
_DONE = object()


class Cancelled(Exception):
    """The reader went away (client disconnected); the writer stops."""


class _QueueWriter:
    """A binary file object handing ``CHUNK``-sized pieces to a bounded queue."""

    def __init__(self, chunks: queue.Queue, cancelled: threading.Event):
        self._chunks, self._cancelled, self._buffer = chunks, cancelled, bytearray()

    def write(self, data: bytes) -> int:
        self._buffer += data
        if len(self._buffer) >= CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._buffer:
            self._put(bytes(self._buffer))
            self._buffer.clear()

    def _put(self, item) -> None:
        while True:
            if self._cancelled.is_set():
                raise Cancelled()
            try:
                self._chunks.put(item, timeout=0.5)
                return
            except queue.Full:
                continue


def iter_chunks(run: Callable[[object], None], depth: int = 8) -> Iterator[bytes]:
    """Run ``run(out)`` in a thread; yield what it writes. Errors in ``run`` are re-raised here."""
    chunks: queue.Queue = queue.Queue(maxsize=depth)
    cancelled = threading.Event()
    failure: list[BaseException] = []
    out = _QueueWriter(chunks, cancelled)

    def work():
        try:
            run(out)
            out.flush()
        except Cancelled:
            return
        except BaseException as exc:  # noqa: BLE001  (handed to the reading side)
            failure.append(exc)
        try:
            out._put(_DONE)
        except Cancelled:
            pass

    thread = threading.Thread(target=work, name="export-writer", daemon=True)
    thread.start()
    try:
        while (item := chunks.get()) is not _DONE:
            yield item
        if failure:
            raise failure[0]
    finally:
        cancelled.set()
        thread.join(timeout=5)
