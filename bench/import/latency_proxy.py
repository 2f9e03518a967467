"""An HTTP proxy that adds a fixed delay to every request (a real region's
round trip) and counts requests. One request per connection: it answers with
`Connection: close`. Usage: latency_proxy.py UPSTREAM_PORT DELAY_MS COUNT_FILE
Prints `listening PORT` once ready."""
import asyncio
import sys

UPSTREAM = int(sys.argv[1])
DELAY = int(sys.argv[2]) / 1000.0
COUNT_FILE = sys.argv[3]
count = 0


async def read_request(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    body = await reader.readexactly(length) if length else b""
    return head, body


async def handle(reader, writer):
    global count
    try:
        head, body = await read_request(reader)
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()
        return
    count += 1
    with open(COUNT_FILE, "w") as f:
        f.write(str(count))
    await asyncio.sleep(DELAY)
    lines = [l for l in head.split(b"\r\n") if l and not l.lower().startswith(b"connection:")]
    up_reader, up_writer = await asyncio.open_connection("127.0.0.1", UPSTREAM)
    up_writer.write(b"\r\n".join(lines) + b"\r\nConnection: close\r\n\r\n" + body)
    await up_writer.drain()
    response = await up_reader.read()
    up_writer.close()
    writer.write(response)
    await writer.drain()
    writer.close()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    print("listening", server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
