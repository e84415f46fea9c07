//! Build script of the `kontrat` binary: records the commit it is built from, for
//! `kontrat --version` (a prebuilt binary in an npm package must say what it is).
//!
//! `KONTRAT_COMMIT` wins when set (release builds from a source tarball have no `.git`);
//! else `git rev-parse`; else `unknown`.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=KONTRAT_COMMIT");
    // Re-run when HEAD moves (a commit, a checkout); not on every `git add`, which would
    // relink the binary for nothing. In a linked worktree HEAD is in its own git dir and
    // the branch refs in the common one, so both are asked of git rather than assumed.
    if let (Some(git_dir), Some(common)) = (
        git(&["rev-parse", "--git-dir"]),
        git(&["rev-parse", "--git-common-dir"]),
    ) {
        let (git_dir, common) = (Path::new(&git_dir), Path::new(&common));
        let head = git_dir.join("HEAD");
        let mut watched = vec![head.clone(), common.join("packed-refs")];
        if let Some(branch) = std::fs::read_to_string(&head)
            .ok()
            .and_then(|h| h.strip_prefix("ref: ").map(|r| r.trim().to_owned()))
        {
            watched.push(common.join(branch));
        }
        for path in watched.iter().filter(|p| p.exists()) {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    let commit = std::env::var("KONTRAT_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=KONTRAT_COMMIT={commit}");
}

/// The trimmed output of `git ARGS`, `None` when git is missing or fails.
fn git(args: &[&str]) -> Option<String> {
    Command::new("git")
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .filter(|s| !s.is_empty())
}
