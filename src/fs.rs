//! Files clout writes: a temporary file in the destination's directory, renamed into place when
//! complete, created with the mode a plain create would give — 0666 less the process umask,
//! like `File::create` — rather than the private 0600 of `tempfile`'s default, so that an
//! `--out` report or a model file is as readable as any other file the user makes.

use std::path::Path;

/// A new temporary file in `dir`, named `prefix…`, with the usual umask-governed mode.
pub fn temp_file_in(dir: &Path, prefix: &str) -> std::io::Result<tempfile::NamedTempFile> {
    let mut b = tempfile::Builder::new();
    b.prefix(prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // open(2) applies the umask to this mode, as for any newly created file.
        b.permissions(std::fs::Permissions::from_mode(0o666));
    }
    b.tempfile_in(dir)
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    /// The mode matches what `File::create` gives under the same umask.
    #[test]
    fn temp_files_follow_the_umask_like_plain_files() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain");
        std::fs::File::create(&plain).unwrap();
        let want = std::fs::metadata(&plain).unwrap().permissions().mode() & 0o777;
        let tmp = super::temp_file_in(dir.path(), ".t").unwrap();
        let got = tmp.as_file().metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(got, want);
        assert_ne!(got, 0o600, "umask 077 would make this test vacuous");
    }
}
