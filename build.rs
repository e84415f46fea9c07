//! Build script of the `kontrat` binary: records the commit it is built from, for
//! `kontrat --version` (a prebuilt binary in an npm package must say what it is).
//!
//! `KONTRAT_COMMIT` wins when set (release builds from a source tarball have no `.git`);
//! else `git rev-parse`; else `unknown`.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=KONTRAT_COMMIT");
    // Re-run when HEAD moves (a commit, a checkout); not on every `git add`, which would
    // relink the binary for nothing.
    for path in [".git/HEAD", ".git/packed-refs"] {
        if std::path::Path::new(path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    let head = std::fs::read_to_string(".git/HEAD").ok().and_then(|h| {
        h.strip_prefix("ref: ")
            .map(|r| format!(".git/{}", r.trim()))
    });
    if let Some(head) = head
        && std::path::Path::new(&head).exists()
    {
        println!("cargo:rerun-if-changed={head}");
    }
    let commit = std::env::var("KONTRAT_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(git_commit)
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=KONTRAT_COMMIT={commit}");
}

fn git_commit() -> Option<String> {
    let run = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    run(&["rev-parse", "--short=12", "HEAD"]).filter(|h| !h.is_empty())
}
