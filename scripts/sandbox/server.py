"""The local sandbox account's server: moto, as `moto_server` runs it, with
two things S3 does that moto does not:
- a bucket's EventBridge switch (`EventBridgeConfiguration` in its
  notification configuration) is answered back by
  GetBucketNotificationConfiguration once a PUT turned it on (moto keeps
  it to itself, so every plan would want to turn it on again);
- a PUT naming an SNS topic or SQS queue whose policy does not let S3
  deliver for the bucket is refused, as S3 validates its destinations
  (docs/rules.md §2, §15, §16), so an apply in the wrong order fails here
  as it would on AWS.
Path-style requests only, as the sandbox's connection makes them.

Usage: server.py -H HOST -p PORT (as moto_server)."""
import fnmatch
import io
import json
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
DESTINATION = re.compile(rb"<(Topic|Queue)>([^<]+)</(?:Topic|Queue)>")


def policy_of(kind, arn):
    """The access policy (JSON text) of a topic or queue, read from moto
    in-process; None when it does not exist or has none."""
    from moto.sns.models import sns_backends
    from moto.sqs.models import sqs_backends

    parts = arn.split(":")
    if len(parts) != 6:
        return None
    try:
        if kind == "Topic":
            return sns_backends[parts[4]][parts[3]].get_topic(arn).policy
        return sqs_backends[parts[4]][parts[3]].get_queue(parts[5]).policy
    except Exception:  # noqa: BLE001 (moto's NotFound and kin)
        return None


def s3_may_deliver(kind, arn, bucket):
    """Whether the topic's or queue's policy lets S3 publish or send for
    `bucket`: a statement allowing sns:Publish or sqs:SendMessage to
    s3.amazonaws.com (or to anyone without other conditions) whose
    SourceArn condition, if any, matches the bucket."""
    policy = policy_of(kind, arn)
    if not policy:
        return False
    action = "sns:publish" if kind == "Topic" else "sqs:sendmessage"
    prefix = action.split(":")[0]
    listed = lambda v: v if isinstance(v, list) else [v]  # noqa: E731
    for st in listed(json.loads(policy).get("Statement", [])):
        principal = st.get("Principal")
        services = listed(principal.get("Service", [])) if isinstance(principal, dict) else []
        anyone = principal == "*" or (isinstance(principal, dict) and principal.get("AWS") == "*")
        actions = [a.lower() for a in listed(st.get("Action", []))]
        if st.get("Effect") != "Allow" or not ({action, f"{prefix}:*", "*"} & set(actions)):
            continue
        keys = {k.lower(): v for op in st.get("Condition", {}).values() for k, v in op.items()}
        if "s3.amazonaws.com" not in services and not (anyone and set(keys) <= {"aws:sourcearn", "aws:sourceaccount"}):
            continue
        arns = listed(keys.get("aws:sourcearn", ["*"]))
        if any(fnmatch.fnmatchcase(f"arn:aws:s3:::{bucket}", a) for a in arns):
            return True
    return False


def refused(start_response, kind, arn):
    body = (
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>InvalidArgument</Code>"
        "<Message>Unable to validate the following destination configurations</Message>"
        f"<ArgumentName1>{arn}</ArgumentName1><ArgumentValue1>Permissions on the destination {kind.lower()} "
        "do not allow S3 to publish notifications from this bucket</ArgumentValue1></Error>"
    ).encode()
    start_response("400 Bad Request", [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))])
    return [body]


class EventBridgeSwitch:
    """WSGI middleware remembering which buckets' switch a PUT turned on,
    and adding `<EventBridgeConfiguration/>` to their GET answers; a PUT
    naming a topic or queue S3 may not deliver to is refused."""

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
            for kind, arn in DESTINATION.findall(body):
                if not s3_may_deliver(kind.decode(), arn.decode(), bucket):
                    return refused(start_response, kind.decode(), arn.decode())
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
