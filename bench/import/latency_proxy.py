"""A replaying HTTP proxy that stands in for a real region: every request
waits a fixed delay (the round trip), and the answer comes from a cache
filled from moto the first time a request is seen (method, path, query and
body; signatures and dates are ignored). A real region serves requests in
parallel; moto on a small machine serves one at a time, so replaying keeps
the local server's CPU out of the figures once the cache is warm.

Connections are kept alive, as the SDK and boto3 expect.

Control (not counted, no delay):
  GET /__bench/delay?ms=N   set the delay
  GET /__bench/count        requests served since the last count (resets)

Usage: latency_proxy.py UPSTREAM_PORT DELAY_MS. Prints `listening PORT`.
"""
import asyncio
import hashlib
import sys

UPSTREAM = int(sys.argv[1])
delay = int(sys.argv[2]) / 1000.0
count = 0
cache = {}


async def read_message(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    body = await reader.readexactly(length) if length else b""
    return head, body


def keep_alive(response):
    """Moto's answer with `Connection: close` dropped and a Content-Length."""
    head, _, body = response.partition(b"\r\n\r\n")
    lines = [
        l for l in head.split(b"\r\n")
        if not l.lower().startswith((b"connection:", b"content-length:", b"transfer-encoding:"))
    ]
    lines.append(b"Content-Length: " + str(len(body)).encode())
    lines.append(b"Connection: keep-alive")
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


async def fetch(head, body):
    lines = [l for l in head.split(b"\r\n") if l and not l.lower().startswith(b"connection:")]
    reader, writer = await asyncio.open_connection("127.0.0.1", UPSTREAM)
    writer.write(b"\r\n".join(lines) + b"\r\nConnection: close\r\n\r\n" + body)
    await writer.drain()
    response = await reader.read()
    writer.close()
    return keep_alive(response)


def control(target):
    global delay, count
    if target.startswith(b"/__bench/delay?ms="):
        delay = int(target.split(b"=", 1)[1]) / 1000.0
        text = b"ok"
    else:
        text, count = str(count).encode(), 0
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: keep-alive\r\n\r\n%s" % (len(text), text)


async def handle(reader, writer):
    global count
    try:
        while True:
            head, body = await read_message(reader)
            method, target = head.split(b" ", 2)[:2]
            if target.startswith(b"/__bench/"):
                writer.write(control(target))
                await writer.drain()
                continue
            count += 1
            key = (method, target, hashlib.sha256(body).digest())
            await asyncio.sleep(delay)
            if key not in cache:
                cache[key] = await fetch(head, body)
            writer.write(cache[key])
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    print("listening", server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
