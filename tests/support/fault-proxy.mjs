// A small HTTP proxy in front of moto for what moto cannot do itself
// (TESTING.md): answer chosen requests with an AWS error, or slow every
// request down so a long operation can be watched and cancelled.
// It also records what passes (`seen.log`: method, url, headers, body), so
// a test can check what the app sent.
// startProxy(target, { delayMs, deny }) resolves to { url, stop, seen }:
// `delayMs` is a number, or `(method, url, body) => ms` to slow chosen
// requests;
// `deny(method, url)` returns an S3 error code (e.g. "AccessDenied") to
// answer 403 with, or null to forward.
import http from "node:http";

export async function startProxy(target, { delayMs = 0, deny = () => null } = {}) {
  const upstream = new URL(target);
  const seen = { requests: 0, log: [] };
  const server = http.createServer((req, res) => {
    seen.requests += 1;
    if (process.env.PROXY_LOG) console.error("proxy", req.method, req.url);
    const body = [];
    req.on("data", (c) => body.push(c));
    req.on("end", () => {
      seen.log.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(body).toString() });
      setTimeout(() => {
        const code = deny(req.method, req.url);
        if (code !== null) {
          const xml = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>denied by the test proxy</Message><RequestId>test</RequestId></Error>`;
          res.writeHead(403, { "Content-Type": "application/xml", "Content-Length": Buffer.byteLength(xml) });
          res.end(xml);
          return;
        }
        const forward = http.request(
          { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
          (answer) => {
            res.writeHead(answer.statusCode, answer.headers);
            answer.pipe(res);
          },
        );
        forward.on("error", () => {
          res.writeHead(502);
          res.end();
        });
        forward.end(Buffer.concat(body));
      }, typeof delayMs === "function" ? delayMs(req.method, req.url, Buffer.concat(body).toString()) : delayMs);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    seen,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
