//! Writing a generated crate to disk atomically, and comparing it with what is there.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Files of a generated crate: path relative to the crate root → content.
pub type Files = BTreeMap<String, String>;

/// Writes `files` as the directory `out`, replacing it whole.
///
/// Everything is written to a fresh sibling directory first and renamed into place, so a
/// failed run never leaves a half-written crate; the previous directory is removed only
/// after the new one is in place. `target/` inside an existing `out` (a build of the
/// generated crate on its own) is carried over.
pub fn write_atomic(out: &Path, files: &Files) -> io::Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "generated".into());
    let staging = unique_sibling(&parent, &format!(".{name}.kontrat-new"))?;
    let result = (|| {
        for (rel, content) in files {
            let path = staging.join(rel);
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir)?;
            }
            fs::write(&path, content)?;
        }
        if out.exists() {
            let target = out.join("target");
            if target.is_dir() {
                fs::rename(&target, staging.join("target"))?;
            }
            let old = unique_sibling(&parent, &format!(".{name}.kontrat-old"))?;
            fs::remove_dir(&old)?;
            fs::rename(out, &old)?;
            if let Err(e) = fs::rename(&staging, out) {
                // Put the previous crate back before reporting.
                let _ = fs::rename(&old, out);
                return Err(e);
            }
            fs::remove_dir_all(&old)?;
        } else {
            fs::rename(&staging, out)?;
        }
        Ok(())
    })();
    if result.is_err() && staging.exists() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

/// Creates a new empty directory `<parent>/<stem>-<n>` that did not exist before.
fn unique_sibling(parent: &Path, stem: &str) -> io::Result<PathBuf> {
    for n in 0..10_000u32 {
        let candidate = parent.join(format!("{stem}-{}-{n}", std::process::id()));
        match fs::create_dir(&candidate) {
            Ok(()) => return Ok(candidate),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "no free temporary directory name",
    ))
}

/// How one file differs between the spec's output and the disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// The spec produces it, the disk lacks it.
    Missing(String),
    /// Both have it, with different content.
    Changed(String),
    /// The disk has it, the spec does not produce it.
    Extra(String),
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::Missing(p) => write!(f, "missing   {p}"),
            Drift::Changed(p) => write!(f, "changed   {p}"),
            Drift::Extra(p) => write!(f, "extra     {p}"),
        }
    }
}

/// Compares `files` with the directory `out` (ignoring `target/`).
pub fn drift(out: &Path, files: &Files) -> io::Result<Vec<Drift>> {
    let mut found = Vec::new();
    for (rel, content) in files {
        match fs::read(out.join(rel)) {
            Ok(bytes) if bytes == content.as_bytes() => {}
            Ok(_) => found.push(Drift::Changed(rel.clone())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                found.push(Drift::Missing(rel.clone()))
            }
            Err(e) => return Err(e),
        }
    }
    if out.is_dir() {
        let mut on_disk = Vec::new();
        list(out, out, &mut on_disk)?;
        for rel in on_disk {
            if !files.contains_key(&rel) {
                found.push(Drift::Extra(rel));
            }
        }
    }
    Ok(found)
}

fn list(root: &Path, dir: &Path, out: &mut Vec<String>) -> io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if entry.file_type()?.is_dir() {
            if rel != "target" {
                list(root, &path, out)?;
            }
        } else {
            out.push(rel);
        }
    }
    Ok(())
}

/// Writes one file atomically: a temporary file beside it, then a rename, so a reader
/// never sees half a report and a failed write leaves the previous file.
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => Path::new(".").to_path_buf(),
    };
    std::fs::create_dir_all(&dir)?;
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file path"))?;
    let temp = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    std::fs::write(&temp, bytes)?;
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}
