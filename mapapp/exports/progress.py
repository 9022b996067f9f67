"""Progress of an export: writers call ``progress(stage, done)`` as they go.

``stage`` is a short key (``rows``, ``map``, ``list``, ``photos``; the hand-over package
prefixes its member: ``daten.gpkg:rows``) and ``done`` the rows written in that stage so far.
Writers take ``progress=no_progress`` by default, so plain callers pass nothing.
"""
from typing import Callable

Progress = Callable[[str, int], None]


def no_progress(stage: str, done: int) -> None:
    """The default callback: ignore."""


class RowCounter:
    """Counts rows of one stage and reports every ``every`` rows (and at :meth:`finish`); the
    callback throttles its own work (a job writes to the database every N rows)."""

    def __init__(self, progress: Progress, stage: str, every: int = 1, start: int = 0):
        self.progress, self.stage, self.every = progress, stage, every
        self.done = self._reported = start
        progress(stage, start)

    def step(self, rows: int = 1) -> None:
        self.done += rows
        if self.progress is not no_progress and self.done - self._reported >= self.every:
            self.finish()

    def finish(self) -> None:
        self._reported = self.done
        self.progress(self.stage, self.done)


def prefixed(progress: Progress, prefix: str) -> Progress:
    """A callback that reports ``prefix:stage`` to ``progress`` (for nested writers)."""
    if progress is no_progress:
        return no_progress
    return lambda stage, done: progress(f"{prefix}:{stage}", done)
