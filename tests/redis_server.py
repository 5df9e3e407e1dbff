"""A real redis-server for tests: a free 127.0.0.1 port, a temporary folder, append-only file on.

    with RedisServer(tmp_path) as redis:
        ... redis.url ...
        redis.restart()          # SIGTERM (the AOF is flushed), then the same port and folder

Without redis-server on the machine the tests that need it are skipped with
a reason, unless NEWSCRAWL_REQUIRE_REDIS=1 (CI sets it), which fails them.
"""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest


def require_redis_server() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    message = "redis-server is not installed (apt-get install redis-server)"
    if os.environ.get("NEWSCRAWL_REQUIRE_REDIS") == "1":
        pytest.fail(message)
    pytest.skip(message)


def make_certificates(folder: Path) -> dict[str, str]:
    """A CA and a certificate for 127.0.0.1 signed by it (openssl), for a TLS redis-server."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    names = {name: str(folder / f"{name}.pem") for name in ("ca_key", "ca", "key", "csr", "cert")}
    ext = folder / "san.cnf"
    ext.write_text("subjectAltName=IP:127.0.0.1\n")
    for command in (
        ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", names["ca_key"], "-out", names["ca"], "-days", "2", "-subj", "/CN=test CA"],
        ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", names["key"], "-out", names["csr"], "-subj", "/CN=127.0.0.1"],
        ["x509", "-req", "-in", names["csr"], "-CA", names["ca"], "-CAkey", names["ca_key"], "-CAcreateserial",
         "-out", names["cert"], "-days", "2", "-extfile", str(ext)],
    ):
        subprocess.run(["openssl", *command], check=True, capture_output=True)
    return names


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    def __init__(self, folder: Path, password: str | None = None, user: str | None = None, tls: bool = False):
        self.binary = require_redis_server()
        self.folder = Path(folder) / "redis"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.password = password
        self.user = user
        self.process: subprocess.Popen | None = None
        self.tls = make_certificates(self.folder) if tls else None

    @property
    def url(self) -> str:
        auth = ""
        if self.password:
            auth = f"{self.user or ''}:{self.password}@"
        if self.tls:
            return f"rediss://{auth}127.0.0.1:{self.port}/0?ssl_ca_certs={self.tls['ca']}"
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        port = ["--port", "0", "--tls-port", str(self.port), "--tls-cert-file", self.tls["cert"], "--tls-key-file",
                self.tls["key"], "--tls-ca-cert-file", self.tls["ca"], "--tls-auth-clients", "no"] if self.tls else ["--port", str(self.port)]
        args = [self.binary, *port, "--bind", "127.0.0.1", "--dir", str(self.folder),
                "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no",
                "--logfile", str(self.folder / "redis.log")]
        if self.password and not self.user:
            args += ["--requirepass", self.password]
        if self.user:  # an ACL user for the crawl; the default user is off
            args += ["--user", self.user, "on", f">{self.password}", "~newscrawl:*", "&*", "+@all", "--user", "default", "off"]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with self._connect() as sock:
                    sock.sendall(b"PING\r\n")
                    answer = sock.recv(64)
                    if answer.startswith((b"+PONG", b"-NOAUTH", b"-NOPERM")):
                        return self
            except OSError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not start on port {self.port}: see {self.folder / 'redis.log'}")

    def _connect(self):
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=0.5)
        if not self.tls:
            return sock
        context = ssl.create_default_context(cafile=self.tls["ca"])
        return context.wrap_socket(sock, server_hostname="127.0.0.1")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: Redis writes its AOF and exits
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def restart(self, down_for: float = 0.0) -> None:
        self.stop()
        time.sleep(down_for)
        self.start()

    def __enter__(self) -> "RedisServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
