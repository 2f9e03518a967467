//! The app's commands over loopback HTTP, for the Chromium suite: the
//! browser build's mock IPC (`ui/src/mock/ipc.ts`) forwards each `invoke`
//! here, so the UI tests drive the real Rust editor and core instead of
//! fixtures. Test infrastructure only: built by `cargo test`, never shipped.
//!
//! `POST /invoke/<command>` with the JSON arguments the UI passes; answers
//! 200 with the command's value or 400 with its `{code, message}`.
//! Prints `listening PORT` once ready. Serves one request at a time, like
//! the window's editor lock.

use bucketwire_desktop::editor::{Editor, NodeUpdate};
use bucketwire_desktop::error::CommandError;
use bucketwire_desktop::view::{NodeKind, NodeMove};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};

fn arg<T: DeserializeOwned>(args: &Value, name: &str) -> Result<T, String> {
    serde_json::from_value(args.get(name).cloned().unwrap_or(Value::Null))
        .map_err(|e| format!("argument {name}: {e}"))
}

/// Runs one command; `Err` is a malformed call (the UI and the bridge
/// disagree), answered 500.
fn dispatch(
    editor: &mut Editor,
    command: &str,
    args: &Value,
) -> Result<Result<Value, CommandError>, String> {
    let result = match command {
        "current" => Ok(editor.view()),
        "open_sample" => Ok(editor.open_sample()),
        "new_document" => Ok(editor.new_document()),
        "undo" => Ok(editor.undo()),
        "redo" => Ok(editor.redo()),
        "open_document" => editor.open(&arg::<String>(args, "path")?),
        "save_document" => editor.save(arg::<Option<String>>(args, "path")?.as_deref()),
        "add_node" => editor.add_node(
            arg::<NodeKind>(args, "kind")?,
            arg(args, "x")?,
            arg(args, "y")?,
        ),
        "connect" => editor.connect(&arg::<String>(args, "from")?, &arg::<String>(args, "to")?),
        "disconnect" => {
            editor.disconnect(&arg::<String>(args, "from")?, &arg::<String>(args, "to")?)
        }
        "remove_nodes" => editor.remove(&arg::<Vec<String>>(args, "ids")?),
        "move_nodes" => editor.move_nodes(&arg::<Vec<NodeMove>>(args, "moves")?),
        "update_node" => editor.update(
            &arg::<String>(args, "id")?,
            arg::<NodeUpdate>(args, "props")?,
        ),
        "apply_fix" => editor.apply_fix(arg::<usize>(args, "index")?),
        other => return Err(format!("unknown command {other}")),
    };
    Ok(result.map(|view| serde_json::to_value(view).unwrap_or(Value::Null)))
}

fn answer(stream: &mut TcpStream, status: &str, body: &Value) -> std::io::Result<()> {
    let body = body.to_string();
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Headers: *\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

fn serve(editor: &mut Editor, mut stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let mut parts = request_line.split_whitespace();
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    if method == "OPTIONS" {
        return answer(&mut stream, "204 No Content", &Value::Null);
    }
    let Some(command) = path.strip_prefix("/invoke/") else {
        return answer(
            &mut stream,
            "404 Not Found",
            &json!({"message": "POST /invoke/<command>"}),
        );
    };
    let args: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    match dispatch(editor, command, &args) {
        Ok(Ok(value)) => answer(&mut stream, "200 OK", &value),
        Ok(Err(error)) => answer(&mut stream, "400 Bad Request", &json!(error)),
        Err(message) => answer(
            &mut stream,
            "500 Internal Server Error",
            &json!({"message": message}),
        ),
    }
}

fn main() -> std::io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    println!("listening {}", listener.local_addr()?.port());
    let mut editor = Editor::default();
    for stream in listener.incoming() {
        if let Err(e) = serve(&mut editor, stream?) {
            eprintln!("bridge: {e}");
        }
    }
    Ok(())
}
