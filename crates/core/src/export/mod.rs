//! Exports: the same wiring in the formats other tools take. Each format
//! is written as it is made into a [`std::fmt::Write`] the caller gives (a
//! file, standard output, a `String`): an account's whole export is never
//! held in memory at once. Writing files is the caller's job. Every export
//! writes the same [`selection::Selection`]: the buckets the document
//! manages, or those the user chose.
//!
//! Layer 5, a peer of `simulate` and `import`: uses `model`, `live` and
//! `desired`.

pub use selection::ExportError;
use std::fmt;

pub mod cli;
pub mod cloudformation;
mod identifiers;
pub mod s3;
pub mod schema;
pub mod selection;
pub mod terraform;

/// Where an export's text goes. A sink that fails (a full disk) keeps its
/// own error for the caller to report; the export itself goes on writing
/// (each later write fails alike), so text errors are not its concern.
pub(crate) struct Text<'w>(&'w mut dyn fmt::Write);

impl<'w> Text<'w> {
    pub(crate) fn new(sink: &'w mut dyn fmt::Write) -> Self {
        Self(sink)
    }

    /// Appends `text`.
    pub(crate) fn push_str(&mut self, text: &str) {
        let _ = self.0.write_str(text);
    }
}

impl fmt::Write for Text<'_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.0.write_str(text)
    }
}

/// Whether `value` may need escaping inside a double-quoted string: it
/// holds `"`, `\`, one of `extra`, or a control character (`0xC2` leads
/// the UTF-8 of U+0080–U+00BF, where the C1 controls are). A quick test
/// over bytes; [`write_escape`] decides per character.
pub(crate) fn may_need_escaping(value: &str, extra: &[u8]) -> bool {
    value
        .bytes()
        .any(|b| matches!(b, b'\\' | b'"' | 0xC2) || b.is_ascii_control() || extra.contains(&b))
}

/// Writes `c` as its escape inside a double-quoted JSON, YAML or HCL
/// string (`\\`, `\"`, `\n`, `\r`, `\t`, `\uXXXX` for other control
/// characters); answers whether it needed one (else nothing is written).
pub(crate) fn write_escape(f: &mut fmt::Formatter<'_>, c: char) -> Result<bool, fmt::Error> {
    match c {
        '\\' => f.write_str("\\\\")?,
        '"' => f.write_str("\\\"")?,
        '\n' => f.write_str("\\n")?,
        '\r' => f.write_str("\\r")?,
        '\t' => f.write_str("\\t")?,
        c if c.is_control() => fmt::Write::write_fmt(f, format_args!("\\u{:04x}", u32::from(c)))?,
        _ => return Ok(false),
    }
    Ok(true)
}
