"""The local sandbox account's server: moto, as `moto_server` runs it, with
one thing S3 does that moto does not: a bucket's EventBridge switch
(`EventBridgeConfiguration` in its notification configuration) is
answered back by GetBucketNotificationConfiguration once a PUT turned it
on (moto keeps it to itself, so every plan would want to turn it on again).
Path-style requests only, as the sandbox's connection makes them.

Usage: server.py -H HOST -p PORT (as moto_server)."""
import io
import os
import re
import sys

from moto.moto_server.threaded_moto_server import (  # noqa: F401 (moto's own imports)
    DomainDispatcherApplication,
    create_backend_app,
)
from moto.server import MotoRequestHandler
from werkzeug.serving import run_simple

SELF_CLOSED = re.compile(rb"<NotificationConfiguration([^>]*)/>")


class EventBridgeSwitch:
    """WSGI middleware remembering which buckets' switch a PUT turned on,
    and adding `<EventBridgeConfiguration/>` to their GET answers."""

    def __init__(self, app):
        self.app = app
        self.on = set()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        keys = [k.split("=")[0] for k in environ.get("QUERY_STRING", "").split("&")]
        if path.startswith("/moto-api/reset"):
            self.on.clear()
        bucket = path.strip("/")
        if "notification" not in keys or not bucket or "/" in bucket:
            return self.app(environ, start_response)
        method = environ["REQUEST_METHOD"]
        if method == "PUT":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else b""
            environ["wsgi.input"] = io.BytesIO(body)
            if b"EventBridgeConfiguration" in body:
                self.on.add(bucket)
            else:
                self.on.discard(bucket)
            return self.app(environ, start_response)
        if method != "GET" or bucket not in self.on:
            return self.app(environ, start_response)
        answer = {}

        def keep(status, headers, exc_info=None):
            answer["status"], answer["headers"] = status, headers
            return lambda _data: None

        body = b"".join(self.app(environ, keep))
        if answer["status"].startswith("200") and b"EventBridgeConfiguration" not in body:
            if SELF_CLOSED.search(body):
                body = SELF_CLOSED.sub(
                    rb"<NotificationConfiguration\1><EventBridgeConfiguration/></NotificationConfiguration>", body
                )
            else:
                body = body.replace(
                    b"</NotificationConfiguration>", b"<EventBridgeConfiguration/></NotificationConfiguration>"
                )
        headers = [(k, v) for k, v in answer["headers"] if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(body))))
        start_response(answer["status"], headers)
        return [body]


def main(argv):
    host, port = "127.0.0.1", 0
    for flag, value in zip(argv, argv[1:]):
        if flag == "-H":
            host = value
        elif flag == "-p":
            port = int(value)
    # As moto_server: moto names its own URLs (SQS queues) with this port.
    os.environ.setdefault("MOTO_PORT", str(port))
    app = DomainDispatcherApplication(create_backend_app)
    app.debug = True
    run_simple(host, port, EventBridgeSwitch(app), threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main(sys.argv[1:])
