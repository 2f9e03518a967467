//! A small HTTP proxy in front of moto that adds what moto does not do:
//! (a) S3's destination validation (a Lambda destination needs a resource
//! policy statement letting S3 invoke it, docs/rules.md §2; a topic or a
//! queue, a statement of its policy letting S3 deliver, §15, §16), and (b) one
//! injected fault at the N-th request: a 500, a throttle (503 SlowDown), a
//! dropped connection, or a response that never comes after the request
//! reached moto (so the write happened, but the caller cannot know).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How to reach moto through `proxy`: static test credentials, the SDK
/// retrying a failed call up to `max_attempts` times quickly.
pub fn through(proxy: &Proxy, max_attempts: u32) -> bucketwire_aws::Target {
    bucketwire_aws::Target {
        region: Some("us-east-1".into()),
        endpoint_url: Some(proxy.url.clone()),
        profile: None,
        access_key: Some(("testing".into(), bucketwire_aws::Secret::new("testing"))),
        path_style: true,
        max_attempts: Some(max_attempts),
        initial_backoff: Some(Duration::from_millis(5)),
    }
}

/// Applies `plan` (made from `wiring`) through `proxy` without a fault
/// and answers which request (counted by the proxy from now) starts the
/// step described as `step`, for a later run to fail there.
pub async fn request_of_step(
    proxy: &Proxy,
    account: &bucketwire_aws::Account,
    wiring: &bucketwire_core::Wiring,
    plan: &bucketwire_core::plan::Plan,
    step: &str,
) -> usize {
    let at = Mutex::new(None);
    proxy.clear();
    bucketwire_aws::apply(
        account,
        wiring,
        plan,
        &bucketwire_aws::ApplyOptions::default(),
        &|e| {
            if let bucketwire_aws::StepEvent::Started { step: started } = e {
                if started == step {
                    *at.lock().expect("lock") = Some(proxy.requests() + 1);
                }
            }
        },
    )
    .await
    .expect("apply without a fault");
    let at = at.lock().expect("lock").expect("the step ran");
    at
}

/// What to do at the N-th request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answer 500 without forwarding.
    ServerError,
    /// Answer 503 SlowDown without forwarding.
    Throttle,
    /// Close the connection without forwarding.
    Drop,
    /// Forward to moto, then close the connection instead of answering.
    LoseResponse,
}

/// A running proxy.
pub struct Proxy {
    /// `http://127.0.0.1:PORT`
    pub url: String,
    requests: Arc<AtomicUsize>,
    fault: Arc<Mutex<Option<(usize, Fault)>>>,
    deny: Arc<Mutex<Option<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    /// Starts a proxy to `upstream` (`127.0.0.1:PORT`) on a free port.
    pub async fn start(upstream: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let requests = Arc::new(AtomicUsize::new(0));
        let fault: Arc<Mutex<Option<(usize, Fault)>>> = Arc::new(Mutex::new(None));
        let deny: Arc<Mutex<Option<String>>> = Arc::new(Mutex::new(None));
        let (r, f, d) = (requests.clone(), fault.clone(), deny.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    break;
                };
                let (r, f, d, up) = (r.clone(), f.clone(), d.clone(), upstream.clone());
                tokio::spawn(async move {
                    let _ = serve(client, up, r, f, d).await;
                });
            }
        });
        Self {
            url,
            requests,
            fault,
            deny,
            task,
        }
    }

    /// Injects `fault` at request number `n` (1-based, counted from now).
    pub fn fail_at(&self, n: usize, fault: Fault) {
        self.requests.store(0, Ordering::SeqCst);
        *self.fault.lock().expect("lock") = Some((n, fault));
    }

    /// Answers 403 AccessDenied to every request whose path starts with
    /// `prefix` (e.g. `/secret-bucket`), as IAM does for a resource the
    /// caller may not read.
    pub fn deny(&self, prefix: &str) {
        *self.deny.lock().expect("lock") = Some(prefix.to_string());
    }

    /// Removes any fault and resets the counter.
    pub fn clear(&self) {
        self.requests.store(0, Ordering::SeqCst);
        *self.fault.lock().expect("lock") = None;
    }

    /// Requests seen since the last `fail_at` / `clear`.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One request per connection: read it, maybe fault, forward, answer, close.
async fn serve(
    mut client: TcpStream,
    upstream: String,
    requests: Arc<AtomicUsize>,
    fault: Arc<Mutex<Option<(usize, Fault)>>>,
    deny: Arc<Mutex<Option<String>>>,
) -> std::io::Result<()> {
    let Some((head, body)) = read_request(&mut client).await? else {
        return Ok(());
    };
    let denied = deny.lock().expect("lock").clone();
    let path = head.split(' ').nth(1).unwrap_or("");
    if denied.is_some_and(|d| path.starts_with(&d)) {
        return respond(
            &mut client,
            403,
            "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>",
        )
        .await;
    }
    let n = requests.fetch_add(1, Ordering::SeqCst) + 1;
    let planned = *fault.lock().expect("lock");
    let this_fault = planned.filter(|(at, _)| *at == n).map(|(_, f)| f);
    match this_fault {
        Some(Fault::ServerError) => {
            return respond(
                &mut client,
                500,
                "<Error><Code>InternalError</Code><Message>injected</Message></Error>",
            )
            .await
        }
        Some(Fault::Throttle) => {
            return respond(
                &mut client,
                503,
                "<Error><Code>SlowDown</Code><Message>injected throttle</Message></Error>",
            )
            .await
        }
        Some(Fault::Drop) => return Ok(()),
        _ => {}
    }
    if let Some(rejection) = destination_validation(&upstream, &head, &body).await {
        return respond(&mut client, 400, &rejection).await;
    }
    let response = forward(&upstream, &head, &body).await?;
    if this_fault == Some(Fault::LoseResponse) {
        return Ok(());
    }
    client.write_all(&response).await?;
    client.shutdown().await
}

async fn respond(client: &mut TcpStream, status: u16, body: &str) -> std::io::Result<()> {
    let reason = match status {
        400 => "Bad Request",
        403 => "Forbidden",
        500 => "Internal Server Error",
        _ => "Service Unavailable",
    };
    let text = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    client.write_all(text.as_bytes()).await?;
    client.shutdown().await
}

/// Reads one request: the head (up to the blank line) and its body
/// (Content-Length or chunked).
async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<(String, Vec<u8>)>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut body = buf[head_end..].to_vec();
    let header = |name: &str| {
        head.lines().find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim().to_string())
        })
    };
    if let Some(len) = header("content-length").and_then(|v| v.parse::<usize>().ok()) {
        while body.len() < len {
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        while find(&body, b"0\r\n\r\n").is_none() {
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    }
    Ok(Some((head, body)))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Forwards the request with `Connection: close` and returns moto's whole
/// response, rewritten to close the client connection too.
async fn forward(upstream: &str, head: &str, body: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut up = TcpStream::connect(upstream).await?;
    let mut out = String::new();
    for (i, line) in head.split("\r\n").enumerate() {
        if line.is_empty() {
            continue;
        }
        if i > 0 && line.to_ascii_lowercase().starts_with("connection:") {
            continue;
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    out.push_str("Connection: close\r\n\r\n");
    up.write_all(out.as_bytes()).await?;
    up.write_all(body).await?;
    let mut response = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), up.read_to_end(&mut response))
        .await
        .map_err(|_| std::io::Error::other("upstream timeout"))??;
    Ok(response)
}

/// For `PUT /BUCKET?notification`: every `<CloudFunction>` must have a
/// statement letting S3 invoke it for this bucket, as S3 checks. Returns
/// the S3 error body when one does not.
async fn destination_validation(upstream: &str, head: &str, body: &[u8]) -> Option<String> {
    let request_line = head.lines().next()?;
    let mut parts = request_line.split(' ');
    let (method, target) = (parts.next()?, parts.next()?);
    if method != "PUT" || !target.contains("notification") {
        return None;
    }
    let bucket = target
        .trim_start_matches('/')
        .split(['?', '/'])
        .next()?
        .to_string();
    let xml = String::from_utf8_lossy(body).to_string();
    let mut failed = Vec::new();
    for arn in xml
        .split("<CloudFunction>")
        .skip(1)
        .filter_map(|s| s.split("</CloudFunction>").next())
    {
        if !s3_may_invoke(upstream, arn, &bucket).await {
            failed.push(arn.to_string());
        }
    }
    for arn in xml
        .split("<Topic>")
        .skip(1)
        .filter_map(|s| s.split("</Topic>").next())
    {
        if !s3_may_publish(upstream, arn, &bucket).await {
            return Some(format!(
                "<Error><Code>InvalidArgument</Code><Message>Unable to validate the following destination configurations</Message><ArgumentName1>{arn}</ArgumentName1><ArgumentValue1>Permissions on the destination topic do not allow S3 to publish notifications from this bucket</ArgumentValue1></Error>"
            ));
        }
    }
    for arn in xml
        .split("<Queue>")
        .skip(1)
        .filter_map(|s| s.split("</Queue>").next())
    {
        if !s3_may_send(upstream, arn, &bucket).await {
            return Some(format!(
                "<Error><Code>InvalidArgument</Code><Message>Unable to validate the following destination configurations</Message><ArgumentName1>{arn}</ArgumentName1><ArgumentValue1>Permissions on the destination queue do not allow S3 to publish notifications from this bucket</ArgumentValue1></Error>"
            ));
        }
    }
    if failed.is_empty() {
        return None;
    }
    Some(format!(
        "<Error><Code>InvalidArgument</Code><Message>Unable to validate the following destination configurations</Message><ArgumentName1>{}</ArgumentName1><ArgumentValue1>Not authorized to invoke function [{}]</ArgumentValue1></Error>",
        failed[0], failed[0]
    ))
}

/// One call of SQS's JSON protocol to moto; the answer's body.
async fn sqs_call(
    upstream: &str,
    region: &str,
    target: &str,
    body: &str,
) -> Option<serde_json::Value> {
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {upstream}\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AmazonSQS.{target}\r\nContent-Length: {}\r\nAuthorization: AWS4-HMAC-SHA256 Credential=testing/20260101/{region}/sqs/aws4_request, SignedHeaders=host, Signature=x\r\n\r\n",
        body.len()
    );
    let response = forward(upstream, &head, body.as_bytes()).await.ok()?;
    let text = String::from_utf8_lossy(&response).to_string();
    serde_json::from_str(text.split("\r\n\r\n").nth(1)?).ok()
}

/// Whether the queue's policy (GetQueueAttributes, asked of moto) lets S3
/// send for `bucket`, as S3 checks before it saves a queue entry.
async fn s3_may_send(upstream: &str, queue: &str, bucket: &str) -> bool {
    let parts: Vec<&str> = queue.split(':').collect();
    let [_, _, _, region, account, name] = parts.as_slice() else {
        return false;
    };
    let Some(url) = sqs_call(
        upstream,
        region,
        "GetQueueUrl",
        &serde_json::json!({"QueueName": name, "QueueOwnerAWSAccountId": account}).to_string(),
    )
    .await
    .and_then(|v| v["QueueUrl"].as_str().map(str::to_string)) else {
        return false;
    };
    let Some(policy) = sqs_call(
        upstream,
        region,
        "GetQueueAttributes",
        &serde_json::json!({"QueueUrl": url, "AttributeNames": ["Policy"]}).to_string(),
    )
    .await
    .and_then(|v| v["Attributes"]["Policy"].as_str().map(str::to_string))
    .and_then(|p| serde_json::from_str::<serde_json::Value>(&p).ok()) else {
        return false;
    };
    bucketwire_core::model::policy::evaluate::statements_raw(&policy)
        .iter()
        .map(bucketwire_core::model::policy::compact::PolicyStatement::from)
        .any(|st| {
            st.view().is_some_and(|v| {
                bucketwire_core::desired::queues::grants_s3_send(&v, queue, bucket, None).is_some()
            })
        })
}

/// Whether the topic's policy (GetTopicAttributes, asked of moto) lets S3
/// publish for `bucket`, as S3 checks before it saves a topic entry.
async fn s3_may_publish(upstream: &str, topic: &str, bucket: &str) -> bool {
    let region = topic.split(':').nth(3).unwrap_or("us-east-1");
    let body = format!(
        "Action=GetTopicAttributes&Version=2010-03-31&TopicArn={}",
        topic.replace(':', "%3A")
    );
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {upstream}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nAuthorization: AWS4-HMAC-SHA256 Credential=testing/20260101/{region}/sns/aws4_request, SignedHeaders=host, Signature=x\r\n\r\n",
        body.len()
    );
    let Ok(response) = forward(upstream, &head, body.as_bytes()).await else {
        return false;
    };
    let text = String::from_utf8_lossy(&response);
    let Some(policy) = text
        .split("<key>Policy</key>")
        .nth(1)
        .and_then(|rest| rest.split("<value>").nth(1))
        .and_then(|rest| rest.split("</value>").next())
    else {
        return false;
    };
    let policy = policy
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
    let Ok(policy) = serde_json::from_str::<serde_json::Value>(&policy) else {
        return false;
    };
    bucketwire_core::model::policy::evaluate::statements_raw(&policy)
        .iter()
        .map(bucketwire_core::model::policy::compact::PolicyStatement::from)
        .any(|st| {
            st.view().is_some_and(|v| {
                bucketwire_core::desired::topics::grants_s3_publish(&v, topic, bucket, None)
                    .is_some()
            })
        })
}

async fn s3_may_invoke(upstream: &str, target: &str, bucket: &str) -> bool {
    let (arn, qualifier) = bucketwire_core::import::split_qualifier(target);
    let name = arn.rsplit(':').next().unwrap_or(arn);
    let path = match qualifier {
        Some(q) => format!("/2015-03-31/functions/{name}/policy?Qualifier={q}"),
        None => format!("/2015-03-31/functions/{name}/policy"),
    };
    let head = format!(
        "GET {path} HTTP/1.1\r\nHost: {upstream}\r\nAuthorization: AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=x\r\n\r\n"
    );
    let Ok(response) = forward(upstream, &head, b"").await else {
        return false;
    };
    let text = String::from_utf8_lossy(&response);
    let Some(json) = text.split("\r\n\r\n").nth(1) else {
        return false;
    };
    let Ok(outer) = serde_json::from_str::<serde_json::Value>(json) else {
        return false;
    };
    let Some(policy) = outer["Policy"]
        .as_str()
        .and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok())
    else {
        return false;
    };
    bucketwire_core::model::policy::evaluate::statements_raw(&policy)
        .iter()
        .map(bucketwire_core::model::policy::compact::PolicyStatement::from)
        .any(|st| {
            bucketwire_core::model::permission::grants_s3_invoke(&st, target, bucket, None)
                .is_some()
        })
}
