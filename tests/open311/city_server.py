"""A local stand-in for the city's Open311 endpoint, on 127.0.0.1 and a free port, in a thread.

It records every request and can be told to fail the next N POSTs, to answer with a
token only, to be slow, what status each request has, and to lose the answer of a POST it
has accepted (``after_accept``): ``"hang"`` stores the request and then sleeps
``hang_seconds`` (longer than the client's timeout) before answering, ``"drop"`` stores it
and closes the connection without an answer.
"""
import socket
import threading
import time

from flask import Flask, jsonify, request
from werkzeug.serving import make_server


class CityServer:
    def __init__(self):
        self.posts: list[dict] = []
        self.forms: list[dict] = []  # the same POSTs with every value of repeated fields
        self.gets: list[str] = []
        self.fail_next = 0
        self.token_only = False
        self.delay = 0.0
        self.after_accept: str | None = None
        self.hang_seconds = 3.0
        self.statuses: dict[str, tuple[str, str]] = {}
        self.tokens: dict[str, str] = {}
        self._lock = threading.Lock()
        self._server = make_server("127.0.0.1", 0, self._app(), threaded=True)
        self.base_url = f"http://127.0.0.1:{self._server.server_port}/open311/v2"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _app(self) -> Flask:
        app = Flask("fake_city")

        @app.post("/open311/v2/requests.json")
        def post_request():
            time.sleep(self.delay)
            with self._lock:
                if self.fail_next:
                    self.fail_next -= 1
                    return jsonify([{"code": 503, "description": "Wartungsarbeiten"}]), 503
                self.posts.append(request.form.to_dict())
                self.forms.append(request.form.to_dict(flat=False))
                number = len(self.posts)
            if self.after_accept == "hang":
                time.sleep(self.hang_seconds)
            elif self.after_accept == "gateway_timeout":
                return jsonify({"error": "upstream timed out"}), 504
            elif self.after_accept == "drop":
                connection = request.environ["werkzeug.socket"]
                connection.shutdown(socket.SHUT_RDWR)
                connection.close()
            if self.token_only:
                self.tokens[f"tok-{number}"] = f"city-{number}"
                return jsonify([{"token": f"tok-{number}"}]), 201
            return jsonify([{"service_request_id": f"city-{number}", "service_notice": ""}]), 201

        @app.get("/open311/v2/tokens/<token>.json")
        def token(token):
            self.gets.append(request.full_path)
            return jsonify([{"service_request_id": self.tokens.get(token), "token": token}])

        @app.get("/open311/v2/requests.json")
        def requests_():
            self.gets.append(request.full_path)
            ids = request.args.get("service_request_id", "").split(",")
            return jsonify([{"service_request_id": rid, "status": self.statuses.get(rid, ("open", ""))[0],
                             "status_notes": self.statuses.get(rid, ("open", ""))[1]} for rid in ids if rid])

        return app

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._thread.join(5)
