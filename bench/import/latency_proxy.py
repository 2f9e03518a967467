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
  GET /__bench/kinds        those requests by kind (the API call, with names
                            left out), most first, one `COUNT KIND` a line;
                            read it before `count`, which resets both

Usage: latency_proxy.py UPSTREAM_PORT DELAY_MS. Prints `listening PORT`.
"""
import asyncio
import collections
import hashlib
import re
import sys
from urllib.parse import parse_qs

UPSTREAM = int(sys.argv[1])
delay = int(sys.argv[2]) / 1000.0
count = 0
kinds = collections.Counter()
cache = {}

# The words of Lambda's paths that name an operation, not a resource.
LAMBDA_WORDS = {"functions", "policy", "aliases", "versions", "event-invoke-config", "recursion-config", "configuration", "list", "event-source-mappings"}


def kind_of(method, target, body, head=b""):
    """The API call a request makes, without the names in it: a JSON
    protocol's target (`sqs GetQueueUrl`), an IAM/STS/SNS query's Action, a
    Lambda path with its ARN as `*`, an S3 path-style request's subresource
    (`GET /*?notification`)."""
    amz_target = re.search(rb"(?im)^x-amz-target:\s*(\S+)", head)
    if amz_target:
        service, _, operation = amz_target.group(1).decode("latin-1").partition(".")
        name = "sqs" if service == "AmazonSQS" else service
        return f"{method.decode()} {name} {operation}"
    path, _, query = target.decode("latin-1").partition("?")
    action = parse_qs(body.decode("latin-1")).get("Action") if body else None
    if action:
        return f"{method.decode()} Action={action[0]}"
    if re.match(r"^/20\d\d-\d\d-\d\d/", path):
        parts = path.strip("/").split("/")
        shape = [parts[0]] + [p if p in LAMBDA_WORDS else "*" for p in parts[1:]]
        return f"{method.decode()} lambda /{'/'.join(shape)}"
    keys = sorted(k.split("=")[0] for k in query.split("&") if k and not k.startswith("x-id"))
    bucket = "/*" if path.strip("/") else "/"
    return f"{method.decode()} s3 {bucket}" + (f"?{'&'.join(keys)}" if keys else "")


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
    elif target.startswith(b"/__bench/kinds"):
        text = "".join(f"{n} {k}\n" for k, n in kinds.most_common()).encode()
    else:
        text, count = str(count).encode(), 0
        kinds.clear()
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
            kinds[kind_of(method, target, body, head)] += 1
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
