"""A real HTTP receiver on 127.0.0.1 for webhook and push tests: records what arrives, can refuse or hang."""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from requests.structures import CaseInsensitiveDict


@dataclass
class Received:
    path: str
    headers: CaseInsensitiveDict
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers 200 (or `reply`) after refusing the first `refuse` requests with 503; `hang` seconds of silence."""

    refuse: int = 0
    hang: float = 0.0
    reply: dict = field(default_factory=lambda: {"errcode": 0, "errmsg": "ok"})
    status: int = 200
    received: list[Received] = field(default_factory=list)
    refused: int = 0

    def __post_init__(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                try:
                    self._answer()
                except (BrokenPipeError, ConnectionResetError):  # the sender gave up waiting: that is the test
                    pass

            def _answer(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if receiver.hang:
                    time.sleep(receiver.hang)
                if receiver.refused < receiver.refuse:
                    receiver.refused += 1
                    self.send_response(503)
                    self.end_headers()
                    return
                receiver.received.append(Received(self.path, CaseInsensitiveDict(self.headers.items()), body))
                answer = json.dumps(receiver.reply).encode()
                self.send_response(receiver.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
