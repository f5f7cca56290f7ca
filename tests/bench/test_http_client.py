"""The load driver's HTTP/1.1 client (`bench._http`) reads responses as servers send them."""

from __future__ import annotations

import asyncio

import pytest
from bench._http import ProtocolError, parse_head, read_response, request_bytes


def _read(raw: bytes, *, method: str = "GET"):
    async def go():
        reader = asyncio.StreamReader()
        reader.feed_data(raw)
        reader.feed_eof()
        return await read_response(reader, method=method)

    return asyncio.run(go())


def test_a_content_length_body_is_read_to_its_length_and_no_further():
    raw = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhelloEXTRA"

    response = _read(raw)

    assert (response.status, response.body) == (200, b"hello")
    assert response.headers["content-type"] == "text/plain"


def test_a_chunked_body_is_joined_with_extensions_and_trailers_dropped():
    raw = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"4;name=value\r\nWiki\r\n"
        b"A\r\npedia in 1\r\n"
        b"0\r\nExpires: never\r\n\r\n"
    )

    assert _read(raw).body == b"Wikipedia in 1"


def test_two_responses_on_one_connection_are_read_one_after_the_other():
    async def go():
        reader = asyncio.StreamReader()
        reader.feed_data(
            b"HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}"
            b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
        )
        return [await read_response(reader), await read_response(reader)]

    first, second = asyncio.run(go())

    assert [(first.status, first.body), (second.status, second.body)] == [
        (201, b"{}"),
        (404, b"abc"),
    ]


def test_without_a_length_the_body_runs_to_the_end_of_the_stream():
    assert _read(b"HTTP/1.0 200 OK\r\nConnection: close\r\n\r\nall of it").body == b"all of it"


def test_a_204_has_no_body_whatever_follows():
    assert _read(b"HTTP/1.1 204 No Content\r\n\r\n").body == b""


def test_header_names_are_case_insensitive_and_values_trimmed():
    status, headers = parse_head(b"HTTP/1.1 429 Too Many Requests\r\nRetry-After:  60 ")

    assert (status, headers) == (429, {"retry-after": "60"})


@pytest.mark.parametrize("head", [b"SPDY/3 200 OK", b"HTTP/1.1 OK", b"HTTP/1.1 200 OK\r\nno colon"])
def test_a_malformed_head_is_a_protocol_error(head):
    with pytest.raises(ProtocolError):
        parse_head(head)


def test_a_bad_chunk_size_is_a_protocol_error():
    with pytest.raises(ProtocolError):
        _read(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")


def test_a_post_request_carries_its_length_and_body():
    raw = request_bytes(
        "POST",
        "/api/v1/hall/tickets",
        host="127.0.0.1:8000",
        headers={"Content-Type": "application/json"},
        body=b'{"queue":"X"}',
    )

    assert raw == (
        b"POST /api/v1/hall/tickets HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n"
        b"Content-Type: application/json\r\nContent-Length: 13\r\n\r\n"
        b'{"queue":"X"}'
    )
