"""The benchmarks' one HTTP client, on loopback, with only the standard library's
``http.client``: the serving benchmark, the load test and the upload benchmark all
request pages through ``Client``, and wait for a server through ``wait_until_answering``."""

import http.client
import socket
import time
from dataclasses import dataclass

HOST = "127.0.0.1"

# What a request can fail with: the server closed the connection, timed out or refused.
ERRORS = (http.client.HTTPException, OSError)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    ms: float  # request sent to body read in full

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name, default)


class Client:
    """One keep-alive connection, opened again on the next request when the server closes
    it (gunicorn's sync workers do after every response) or a request fails."""

    def __init__(self, port: int, timeout: float = 60):
        self.connection = http.client.HTTPConnection(HOST, port, timeout=timeout)

    def request(self, method: str, path: str, body=None, headers: dict | None = None) -> Response:
        """One request, its body read in full and timed; uncompressed, so that the time
        is the page's and not the client's."""
        headers = {"Accept-Encoding": "identity", **(headers or {})}
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except ERRORS:
            self.connection.close()
            raise
        ms = (time.perf_counter() - started) * 1000
        return Response(response.status, response.headers, content, ms)

    def get(self, path: str, headers: dict | None = None) -> Response:
        return self.request("GET", path, headers=headers)

    def close(self):
        self.connection.close()


def wait_until_answering(port: int, process, name: str, path: str = "/", seconds: float = 60):
    """Return once the server ``process`` answers ``path`` (any status); raise if it exits
    or does not answer within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited")
        client = Client(port, timeout=5)
        try:
            client.get(path)
            return
        except OSError:
            time.sleep(0.25)
        finally:
            client.close()
    raise RuntimeError(f"{name} did not answer on port {port} within {seconds:g} s")
