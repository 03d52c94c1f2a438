//! The hostfile (timely's format: one `host:port` per line, process `i` on line `i + 1`) and
//! the `--process` index checked against it.

use std::path::{Path, PathBuf};

use super::ClusterError;
use crate::error::{Error, Result};

/// The processes of a cluster, in order.
#[derive(Debug, Clone)]
pub struct Hostfile {
    /// Where the list was read.
    pub path: PathBuf,
    /// `host:port` of every process.
    pub addrs: Vec<String>,
}

impl Hostfile {
    /// Reads `path`: one `host:port` per line; blank lines and `#` comments are not processes.
    pub fn read(path: &Path) -> Result<Hostfile> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let mut addrs: Vec<String> = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |reason: String| ClusterError::Hostfile {
                path: path.to_path_buf(),
                line: i as u64 + 1,
                reason,
            };
            check_addr(line).map_err(bad)?;
            if let Some(j) = addrs.iter().position(|a| a == line) {
                return Err(bad(format!("`{line}` is listed twice (also process {j})")).into());
            }
            addrs.push(line.to_string());
        }
        if addrs.is_empty() {
            return Err(Error::Empty {
                path: path.to_path_buf(),
                what: "no `host:port` lines".into(),
            });
        }
        Ok(Hostfile {
            path: path.to_path_buf(),
            addrs,
        })
    }

    /// Checks that `index` is one of the listed processes.
    pub fn check_process(&self, index: usize) -> Result<()> {
        if index >= self.addrs.len() {
            return Err(ClusterError::ProcessOutOfRange {
                index,
                count: self.addrs.len(),
                path: self.path.clone(),
            }
            .into());
        }
        Ok(())
    }
}

/// Why `line` is not `host:port` with a port in 1..=65535.
fn check_addr(line: &str) -> std::result::Result<(), String> {
    let Some((host, port)) = line.rsplit_once(':') else {
        return Err(format!("`{line}` is not `host:port`"));
    };
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(format!("`{line}`: no host before the port"));
    }
    match port.parse::<u16>() {
        Ok(p) if p > 0 => Ok(()),
        _ => Err(format!("`{line}`: `{port}` is not a port (1 to 65535)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Hostfile> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hosts");
        std::fs::write(&path, text).unwrap();
        Hostfile::read(&path)
    }

    #[test]
    fn reads_processes_in_order_and_names_bad_lines() {
        let h = read("# cluster\nlocalhost:2101\n\n127.0.0.1:2102\n").unwrap();
        assert_eq!(h.addrs, ["localhost:2101", "127.0.0.1:2102"]);
        assert!(h.check_process(1).is_ok());
        let e = h.check_process(2).unwrap_err().to_string();
        assert!(e.contains("--process 2") && e.contains("0 to 1"), "{e}");
        let e = read("a:1\nlocalhost\n").unwrap_err().to_string();
        assert!(e.ends_with(":2: `localhost` is not `host:port`"), "{e}");
        let e = read("a:99999\n").unwrap_err().to_string();
        assert!(e.contains(":1:") && e.contains("not a port"), "{e}");
        let e = read("a:1\na:1\n").unwrap_err().to_string();
        assert!(e.contains(":2:") && e.contains("twice"), "{e}");
        assert!(read("\n# none\n")
            .unwrap_err()
            .to_string()
            .contains("no `host:port`"));
    }
}
