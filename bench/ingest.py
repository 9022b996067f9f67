"""(b) Ingest: findings/s through ``POST /api/findings`` from concurrent phones, then a count.

Each simulated phone keeps one keep-alive connection and its participant cookie, makes
its own finding ids (as the app does) and sends about one in eight findings twice, as a
phone does when an answer gets lost. Afterwards the database must hold every id exactly
once: the retries answer 200 instead of 201 and store nothing.
"""
from __future__ import annotations

import http.client
import json
import random
import threading
import time
import uuid
from dataclasses import dataclass

import psycopg

from bench import load
from bench.data import HOTSPOTS, libpq_url

RETRY_SHARE = 0.125
DESCRIPTION = "Bench ingest"


@dataclass
class IngestResult:
    clients: int
    sent: int
    retries: int
    seconds: float
    created: int
    repeated_ok: int
    failed: int
    stored: int
    latency: load.Result

    @property
    def per_second(self) -> float:
        return self.sent / self.seconds if self.seconds else 0.0

    @property
    def intact(self) -> bool:
        """Nothing lost, nothing doubled, every retry recognised as one."""
        return self.failed == 0 and self.stored == self.sent and self.created == self.sent \
            and self.repeated_ok == self.retries


def payload(rng: random.Random, categories: list[str], client: int, i: int) -> dict:
    _name, lat, lon, _w, spread = rng.choice(HOTSPOTS)
    dy, dx = rng.gauss(0, spread / 3) / 111320, rng.gauss(0, spread / 3) / 69500
    return {"id": str(uuid.uuid4()), "lat": round(lat + dy, 6), "lon": round(lon + dx, 6),
            "accuracy_m": 8.0, "category": rng.choice(categories), "description": f"{DESCRIPTION} {client}-{i}"}


def phone(port: int, categories: list[str], client: int, count: int, out: dict, latencies: list[float]) -> None:
    """Post ``count`` findings (plus retries) on one connection; tally the answers in ``out``."""
    rng = random.Random(client)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    cookie = None
    for i in range(count):
        body = json.dumps(payload(rng, categories, client, i))
        sends = 2 if rng.random() < RETRY_SHARE else 1
        for attempt in range(sends):
            headers = {"Content-Type": "application/json"}
            if cookie:
                headers["Cookie"] = cookie
            started = time.perf_counter()
            try:
                conn.request("POST", "/api/findings", body=body, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                out["failed"] += 1
                continue
            latencies.append(time.perf_counter() - started)
            cookie = (response.getheader("Set-Cookie") or "").split(";", 1)[0] or cookie
            key = {201: "created", 200: "repeated_ok"}.get(response.status, "failed")
            out[key] += 1
            if attempt:
                out["retries"] += 1
    conn.close()


def run(url: str, port: int, clients: int = 16, per_client: int = 150) -> IngestResult:
    with psycopg.connect(libpq_url(url)) as conn:
        categories = [r[0] for r in conn.execute("SELECT slug FROM categories WHERE active ORDER BY slug")]
        before = conn.execute("SELECT count(*) FROM findings WHERE description LIKE %s",
                              (DESCRIPTION + " %",)).fetchone()[0]
    tallies = [{"created": 0, "repeated_ok": 0, "failed": 0, "retries": 0} for _ in range(clients)]
    latencies: list[list[float]] = [[] for _ in range(clients)]
    threads = [threading.Thread(target=phone, args=(port, categories, c, per_client, tallies[c], latencies[c]))
               for c in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    with psycopg.connect(libpq_url(url)) as conn:
        stored = conn.execute("SELECT count(*) FROM findings WHERE description LIKE %s",
                              (DESCRIPTION + " %",)).fetchone()[0] - before
    total = {key: sum(t[key] for t in tallies) for key in tallies[0]}
    all_latencies = [x for mine in latencies for x in mine]
    return IngestResult(clients, clients * per_client, total["retries"], seconds, total["created"],
                        total["repeated_ok"], total["failed"], stored,
                        load.summarise(all_latencies, seconds))
