"""A minimal HTTP/1.1 client on raw asyncio streams, for the load driver (`bench.load`).

One `Connection` per virtual client, kept alive between requests (reopened when the server
closes it). It writes a request prepared as bytes and reads the answer: the status line,
the headers, then a body of `Content-Length` bytes, a chunked body, or (`Connection:
close`, no length) everything up to the end of the stream. Nothing else — no redirects,
no cookies jar, no TLS, no compression — so that a request costs the driver as little CPU
as possible (see the module docstring of `bench.load` for why that matters here).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

CRLF = b"\r\n"
HEAD_END = b"\r\n\r\n"
MAX_HEAD = 64 * 1024


class ProtocolError(Exception):
    """The server's answer is not HTTP/1.x as this client reads it."""


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]  # names lower-cased; a repeated header keeps its last value
    body: bytes


def request_bytes(
    method: str,
    path: str,
    *,
    host: str,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
) -> bytes:
    """The request as sent on the wire (prepare once, send many times)."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    if body or method in {"POST", "PUT", "PATCH"}:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    """Status code and headers of a response head (up to and without the blank line)."""
    status_line, _sep, rest = head.partition(CRLF)
    parts = status_line.split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not parts[1].isdigit():
        raise ProtocolError(f"bad status line: {status_line[:80]!r}")
    headers: dict[str, str] = {}
    for line in rest.split(CRLF):
        if not line:
            continue
        name, sep, value = line.partition(b":")
        if not sep:
            raise ProtocolError(f"bad header line: {line[:80]!r}")
        headers[name.strip().lower().decode("latin-1")] = value.strip().decode("latin-1")
    return int(parts[1]), headers


async def read_chunked(reader: asyncio.StreamReader) -> bytes:
    """A chunked body (RFC 9112 §7.1): size lines in hex, chunk extensions ignored,
    trailer fields read and dropped."""
    parts: list[bytes] = []
    while True:
        size_line = await reader.readuntil(CRLF)
        size_text = size_line.split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise ProtocolError(f"bad chunk size: {size_line[:40]!r}") from None
        if size == 0:
            while (await reader.readuntil(CRLF)) != CRLF:  # trailers, then the blank line
                pass
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        if await reader.readexactly(2) != CRLF:
            raise ProtocolError("chunk not followed by CRLF")


async def read_response(reader: asyncio.StreamReader, *, method: str = "GET") -> Response:
    """One response from the stream: head, then the body as its headers describe it."""
    try:
        head = await reader.readuntil(HEAD_END)
    except asyncio.LimitOverrunError:
        raise ProtocolError("response head too long") from None
    status, headers = parse_head(head[: -len(HEAD_END)])
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        body = b""
    elif "chunked" in headers.get("transfer-encoding", "").lower():
        body = await read_chunked(reader)
    elif "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    else:
        body = await reader.read()  # until the server closes the connection
    return Response(status=status, headers=headers, body=body)


class Connection:
    """A keep-alive connection to one server, reopened on demand."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.opened = 0  # how many times a TCP connection was opened

    async def _open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(
            self.host, self.port, limit=MAX_HEAD
        )
        self.opened += 1

    async def send(self, raw: bytes, *, method: str = "GET") -> Response:
        """Send a prepared request and read its response. A connection the server closed
        while idle is reopened once and the request sent again."""
        for attempt in (1, 2):
            if self.writer is None:
                await self._open()
            assert self.reader is not None and self.writer is not None
            try:
                self.writer.write(raw)
                response = await read_response(self.reader, method=method)
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt == 2:
                    raise
                continue
            if response.headers.get("connection", "").lower() == "close":
                self.close()
            return response
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None
