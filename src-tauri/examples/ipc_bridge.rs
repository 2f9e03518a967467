//! The app's commands over loopback HTTP, for the Chromium suite: the
//! browser build's mock IPC (`ui/src/mock/ipc.ts`) forwards each `invoke`
//! here, so the UI tests drive the real Rust editor and core instead of
//! fixtures. Test infrastructure only: built by `cargo test`, never shipped.
//!
//! `POST /invoke/<command>` with the JSON arguments the UI passes; answers
//! 200 with the command's value or 400 with its `{code, message}`.
//! Prints `listening PORT` once ready. Serves each connection on its own
//! thread, as the app runs commands: editor commands one at a time under
//! the editor lock, account commands (import, review, apply) without it, so
//! the UI can poll their progress and cancel while they run.

use bucketwire_aws::{ConnectionStore, SecretStore};
use bucketwire_desktop::commands;
use bucketwire_desktop::connections::{ConnectionInput, Connections};
use bucketwire_desktop::editor::Editor;
use bucketwire_desktop::error::CommandError;
use bucketwire_desktop::importer::{ImportMode, Importer};
use bucketwire_desktop::node_update::NodeUpdate;
use bucketwire_desktop::review::Reviewer;
use bucketwire_desktop::test_event::{send_test_event, TestEventMode};
use bucketwire_desktop::view::{ExportFormat, ImageFormat, NodeKind, NodeMove};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

fn arg<T: DeserializeOwned>(args: &Value, name: &str) -> Result<T, String> {
    serde_json::from_value(args.get(name).cloned().unwrap_or(Value::Null))
        .map_err(|e| format!("argument {name}: {e}"))
}

/// What the app manages, shared by the connection threads.
struct App {
    editor: Mutex<Editor>,
    connections: Connections,
    reviewer: Reviewer,
    importer: Importer,
    runtime: tokio::runtime::Runtime,
}

/// An answer as JSON text, written straight from the value (as Tauri's IPC
/// does), so the bridge costs what the app's IPC costs.
fn v<T: serde::Serialize>(value: T) -> String {
    serde_json::to_string(&value).unwrap_or_else(|_| NULL.to_string())
}

const NULL: &str = "null";

/// Runs one command; `Err` is a malformed call (the UI and the bridge
/// disagree), answered 500.
fn dispatch(
    app: &App,
    command: &str,
    args: &Value,
) -> Result<Result<String, CommandError>, String> {
    let (connections, reviewer, importer, runtime) =
        (&app.connections, &app.reviewer, &app.importer, &app.runtime);
    // Commands that do not need the editor, or need it only briefly.
    Ok(match command {
        "list_connections" => connections.list().map(v),
        "save_connection" => connections
            .save(arg::<ConnectionInput>(args, "input")?)
            .map(v),
        "remove_connection" => connections.remove(&arg::<String>(args, "name")?).map(v),
        "test_connection" => runtime
            .block_on(connections.test(&arg::<String>(args, "name")?))
            .map(v),
        "sandbox_connection" => Ok(v(commands::sandbox_connection())),
        "known_regions" => Ok(v(commands::known_regions())),
        "review_changes" => {
            let wiring = lock(app).wiring();
            runtime
                .block_on(reviewer.review(&arg::<String>(args, "name")?, wiring))
                .map(v)
        }
        "apply_changes" => runtime.block_on(reviewer.apply_to(&app.editor)).map(v),
        "apply_progress" => Ok(v(reviewer.progress())),
        "cancel_apply" => {
            reviewer.cancel();
            Ok(NULL.to_string())
        }
        "list_buckets" => runtime
            .block_on(importer.list(&arg::<String>(args, "name")?))
            .map(v),
        "survey_buckets" => runtime
            .block_on(importer.survey(&arg::<String>(args, "name")?))
            .map(v),
        "import_buckets" => runtime
            .block_on(importer.run(
                &arg::<String>(args, "name")?,
                arg::<Vec<String>>(args, "buckets")?,
            ))
            .map(v),
        "import_progress" => Ok(v(importer.progress())),
        "import_preview" => importer.preview().map(v),
        "cancel_import" => {
            importer.cancel();
            Ok(NULL.to_string())
        }
        "finish_import" => {
            let mode = arg::<ImportMode>(args, "mode")?;
            importer.take().and_then(|doc| {
                let mut e = lock(app);
                match mode {
                    ImportMode::New => e.open_imported(&doc),
                    ImportMode::Merge => e.merge_imported(&doc),
                }
                .map(v)
            })
        }
        "send_test_event" => {
            let wiring = lock(app).wiring();
            runtime
                .block_on(send_test_event(
                    connections,
                    &wiring,
                    &arg::<String>(args, "name")?,
                    &arg::<String>(args, "bucket")?,
                    &arg::<String>(args, "key")?,
                    &arg::<String>(args, "event")?,
                    arg::<TestEventMode>(args, "mode")?,
                ))
                .map(v)
        }
        _ => return editor_command(&mut lock(app), command, args),
    })
}

fn lock(app: &App) -> std::sync::MutexGuard<'_, Editor> {
    app.editor.lock().unwrap_or_else(|e| e.into_inner())
}

/// The editor's commands, under its lock.
fn editor_command(
    e: &mut Editor,
    command: &str,
    args: &Value,
) -> Result<Result<String, CommandError>, String> {
    Ok(match command {
        "current" => Ok(v(e.view())),
        "open_sample" => Ok(v(e.open_sample())),
        "new_document" => Ok(v(e.new_document())),
        "undo" => Ok(v(e.undo())),
        "redo" => Ok(v(e.redo())),
        "open_document" => e.open(&arg::<String>(args, "path")?).map(v),
        "save_document" => e
            .save(arg::<Option<String>>(args, "path")?.as_deref())
            .map(v),
        "add_node" => e
            .add_node(
                arg::<NodeKind>(args, "kind")?,
                arg(args, "x")?,
                arg(args, "y")?,
            )
            .map(v),
        "connect" => e
            .connect(&arg::<String>(args, "from")?, &arg::<String>(args, "to")?)
            .map(v),
        "disconnect" => e
            .disconnect(&arg::<String>(args, "from")?, &arg::<String>(args, "to")?)
            .map(v),
        "remove_nodes" => e.remove(&arg::<Vec<String>>(args, "ids")?).map(v),
        "move_nodes" => e.move_nodes(&arg::<Vec<NodeMove>>(args, "moves")?).map(v),
        "arrange_nodes" => e
            .arrange_nodes(&arg::<Vec<NodeMove>>(args, "moves")?)
            .map(v),
        "update_node" => e
            .update(
                &arg::<String>(args, "id")?,
                arg::<NodeUpdate>(args, "props")?,
            )
            .map(v),
        "apply_fix" => e.apply_fix(arg::<usize>(args, "index")?).map(v),
        "manage_destination" => e.manage_destination(&arg::<String>(args, "id")?).map(v),
        "recovery_status" => Ok(v(e.pending_recovery().map(Option::unwrap_or_default))),
        "restore_recovery" => e.restore_recovery().map(v),
        "discard_recovery" => {
            e.discard_recovery();
            Ok(NULL.to_string())
        }
        "recent_files" => Ok(v(e.recent_files())),
        "export_document" => e
            .export(
                arg::<ExportFormat>(args, "format")?,
                &arg::<String>(args, "path")?,
                &arg::<Vec<String>>(args, "chosen")?,
            )
            .map(v),
        "event_catalog" => Ok(v(commands::event_catalog())),
        "try_key" => e
            .try_key(
                &arg::<String>(args, "bucket")?,
                &arg::<String>(args, "key")?,
                &arg::<String>(args, "event")?,
            )
            .map(v),
        "encode_key" => Ok(v(commands::encode_key(arg(args, "text")?))),
        "node_relations" => Ok(v(e.relations(&arg::<String>(args, "id")?))),
        "outline" => Ok(v(e.outline())),
        "template_text" => e.template_text().map(v),
        "copy_nodes" => Ok(v(e.copy(&arg::<Vec<String>>(args, "ids")?))),
        "paste_nodes" => e
            .paste(
                &arg::<String>(args, "fragment")?,
                arg(args, "dx")?,
                arg(args, "dy")?,
            )
            .map(v),
        "duplicate_nodes" => e.duplicate(&arg::<Vec<String>>(args, "ids")?).map(v),
        "export_image" => e
            .export_image(
                arg::<ImageFormat>(args, "format")?,
                &arg::<String>(args, "path")?,
                &arg::<String>(args, "data")?,
            )
            .map(v),
        "check_update" => e
            .check_update(
                &arg::<String>(args, "id")?,
                arg::<NodeUpdate>(args, "props")?,
            )
            .map(v),
        "templates" => Ok(v(commands::templates())),
        "open_template" => e.open_template(&arg::<String>(args, "id")?).map(v),
        "tour_seen" => Ok(v(e.tour_seen())),
        "mark_tour_seen" => {
            e.mark_tour_seen();
            Ok(NULL.to_string())
        }
        "preferences" => Ok(v(e.preferences())),
        "set_preference" => e
            .set_preference(
                &arg::<String>(args, "name")?,
                arg::<Option<String>>(args, "value")?,
            )
            .map(v),
        other => return Err(format!("unknown command {other}")),
    })
}

fn answer(stream: &mut TcpStream, status: &str, body: &str) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Headers: *\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

fn serve(app: &App, mut stream: TcpStream) -> std::io::Result<()> {
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
        return answer(&mut stream, "204 No Content", NULL);
    }
    let Some(command) = path.strip_prefix("/invoke/") else {
        return answer(
            &mut stream,
            "404 Not Found",
            &json!({"message": "POST /invoke/<command>"}).to_string(),
        );
    };
    let args: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    match dispatch(app, command, &args) {
        Ok(Ok(value)) => answer(&mut stream, "200 OK", &value),
        Ok(Err(error)) => answer(&mut stream, "400 Bad Request", &v(error)),
        Err(message) => answer(
            &mut stream,
            "500 Internal Server Error",
            &json!({"message": message}).to_string(),
        ),
    }
}

fn main() -> std::io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    println!("listening {}", listener.local_addr()?.port());
    // Recent files and the recovery copy go where the suite says.
    let dir = |var: &str| std::env::var_os(var).map(std::path::PathBuf::from);
    let editor = Editor::new(dir("BUCKETWIRE_CONFIG_DIR"), dir("BUCKETWIRE_DATA_DIR"));
    // Connections as the app keeps them, but secrets in memory: a browser
    // suite has no keyring (the real app's tests use a real one).
    let store = dir("BUCKETWIRE_CONFIG_DIR")
        .map_or_else(|| "connections.json".into(), |d| d.join("connections.json"));
    let connections = Connections::new(ConnectionStore::at(store), SecretStore::in_memory());
    if let Some(url) = std::env::var_os("BUCKETWIRE_SANDBOX_URL") {
        if let Err(e) = connections.offer_sandbox(&url.to_string_lossy()) {
            eprintln!("bridge: the sandbox is not offered: {}", e.message);
        }
    }
    let reviewer = Reviewer::new(
        connections.clone(),
        dir("BUCKETWIRE_DATA_DIR").map(|d| d.join("apply.log")),
    );
    let app = Arc::new(App {
        editor: Mutex::new(editor),
        importer: Importer::new(connections.clone()),
        connections,
        reviewer,
        runtime: tokio::runtime::Runtime::new()?,
    });
    for stream in listener.incoming() {
        let stream = stream?;
        let app = Arc::clone(&app);
        std::thread::spawn(move || {
            if let Err(e) = serve(&app, stream) {
                eprintln!("bridge: {e}");
            }
        });
    }
    Ok(())
}
