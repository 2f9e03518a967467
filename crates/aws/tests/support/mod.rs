//! Test harness: a real moto server on a free loopback port, started for a
//! test and stopped when it is dropped, plus helpers to seed it.

#![allow(dead_code)]

pub mod proxy;

use bucketwire_aws::{Account, Secret, Target};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running moto server.
pub struct Moto {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub url: String,
    port: u16,
}

fn moto_server() -> PathBuf {
    std::env::var_os("MOTO_SERVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv-tools/bin/moto_server")
        })
}

impl Moto {
    /// Starts moto on port 0 and reads the port it chose from its log.
    pub fn start() -> Self {
        let bin = moto_server();
        let mut child = Command::new(&bin)
            .args(["-H", "127.0.0.1", "-p", "0"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {} ({e}); run `make deps`", bin.display()));
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if !sent {
                    if let Some(rest) = line.split("Running on http://127.0.0.1:").nth(1) {
                        let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                        if let Ok(p) = port.parse::<u16>() {
                            let _ = tx.send(p);
                            sent = true;
                        }
                    }
                }
                // Keep draining so moto never blocks on a full pipe.
            }
        });
        let port = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("moto printed its port");
        let moto = Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
            port,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while moto.request("GET", "/moto-api/", "").is_err() {
            assert!(Instant::now() < deadline, "moto did not become ready");
            std::thread::sleep(Duration::from_millis(100));
        }
        moto.request(
            "POST",
            "/moto-api/config",
            r#"{"lambda":{"use_docker":false}}"#,
        )
        .expect("configure moto");
        moto
    }

    /// A minimal HTTP/1.1 request to moto's own API; returns the body.
    pub fn request(&self, method: &str, path: &str, body: &str) -> std::io::Result<String> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port))?;
        s.set_read_timeout(Some(Duration::from_secs(10)))?;
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )?;
        let mut out = String::new();
        s.read_to_string(&mut out)?;
        let status = out.split(' ').nth(1).unwrap_or("");
        if !status.starts_with('2') {
            return Err(std::io::Error::other(
                out.lines().next().unwrap_or("").to_string(),
            ));
        }
        Ok(out.split("\r\n\r\n").nth(1).unwrap_or("").to_string())
    }

    /// Empties moto, with Lambda configured to run without Docker.
    pub fn reset(&self) {
        self.request("POST", "/moto-api/reset", "")
            .expect("reset moto");
        self.request(
            "POST",
            "/moto-api/config",
            r#"{"lambda":{"use_docker":false}}"#,
        )
        .expect("config");
    }

    /// How to reach this moto (static test credentials, one attempt).
    pub fn target(&self) -> Target {
        Target {
            region: Some("us-east-1".into()),
            endpoint_url: Some(self.url.clone()),
            profile: None,
            access_key: Some(("testing".into(), Secret::new("testing"))),
            path_style: true,
            max_attempts: Some(1),
            initial_backoff: None,
        }
    }

    /// Connected clients.
    pub async fn account(&self) -> Account {
        Account::connect(&self.target())
            .await
            .expect("connect to moto")
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub const ACCOUNT: &str = "123456789012";

/// A zip archive holding one file (stored, not compressed): Lambda wants a
/// zip for `Code.ZipFile`.
pub fn zip_with(name: &str, content: &[u8]) -> Vec<u8> {
    let crc = crc32(content);
    let mut out = Vec::new();
    let n = name.len() as u16;
    let size = content.len() as u32;
    // Local file header.
    out.extend_from_slice(&[0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(content);
    let central = out.len() as u32;
    // Central directory header.
    out.extend_from_slice(&[0x50, 0x4b, 0x01, 0x02, 20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&[0; 12]);
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    let central_size = out.len() as u32 - central;
    // End of central directory.
    out.extend_from_slice(&[0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 1, 0, 1, 0]);
    out.extend_from_slice(&central_size.to_le_bytes());
    out.extend_from_slice(&central.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Creates a role Lambda may assume; returns its ARN.
pub async fn create_role(account: &Account, name: &str) -> String {
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let out = account
        .iam()
        .create_role()
        .role_name(name)
        .assume_role_policy_document(trust)
        .send()
        .await
        .expect("create role");
    out.role().map(|r| r.arn().to_string()).expect("role arn")
}

/// Creates a Python function with that role; returns its ARN.
pub async fn create_function(account: &Account, name: &str, role: &str) -> String {
    let code = aws_sdk_lambda::types::FunctionCode::builder()
        .zip_file(aws_sdk_lambda::primitives::Blob::new(zip_with(
            "index.py",
            b"def handler(event, context):\n    return event\n",
        )))
        .build();
    let out = account
        .lambda("us-east-1")
        .create_function()
        .function_name(name)
        .runtime(aws_sdk_lambda::types::Runtime::Python312)
        .role(role)
        .handler("index.handler")
        .code(code)
        .send()
        .await
        .expect("create function");
    out.function_arn().expect("function arn").to_string()
}

/// Creates a bucket in us-east-1.
/// Creates queue `name` whose policy lets S3 send to it for any bucket of
/// the account (so S3's destination validation accepts an entry naming
/// it); answers its ARN.
pub async fn create_queue_for_s3(account: &Account, name: &str) -> String {
    let arn = format!("arn:aws:sqs:us-east-1:{ACCOUNT}:{name}");
    let policy = serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": arn,
        "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}}]});
    let attributes = std::collections::BTreeMap::from([("Policy".to_string(), policy.to_string())]);
    bucketwire_aws::queues::create_queue(account, &arn, &attributes)
        .await
        .expect("create queue");
    arn
}

pub async fn create_bucket(account: &Account, name: &str) {
    account
        .s3("us-east-1")
        .create_bucket()
        .bucket(name)
        .send()
        .await
        .expect("create bucket");
}
