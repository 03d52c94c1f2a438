//! Progress on a terminal: spinners and bars on standard error, silent when piped or `--quiet`.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressFinish, ProgressStyle};

/// Creates progress indicators, or hidden ones when they should not show.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    visible: bool,
}

impl Progress {
    /// Visible only on a terminal and when not quiet.
    pub fn new(quiet: bool) -> Self {
        Progress {
            visible: !quiet && std::io::stderr().is_terminal(),
        }
    }

    /// A spinner with a message, for a step of unknown length.
    pub fn spinner(&self, msg: &str) -> ProgressBar {
        let pb = self.bar(0);
        pb.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("valid template"),
        );
        pb.set_message(msg.to_string());
        pb.enable_steady_tick(Duration::from_millis(120));
        pb
    }

    /// A bar of `len` steps.
    pub fn steps(&self, msg: &str, len: u64) -> ProgressBar {
        let pb = self.bar(len);
        pb.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({elapsed})")
                .expect("valid template"),
        );
        pb.set_message(msg.to_string());
        pb
    }

    /// A running count of items done at an unknown total (texts embedded), cleared when
    /// dropped.
    pub fn counter(&self, msg: &str) -> ProgressBar {
        let pb = self.bar(0).with_finish(ProgressFinish::AndClear);
        pb.set_style(
            ProgressStyle::with_template("{spinner} {msg}: {pos} ({elapsed})")
                .expect("valid template"),
        );
        pb.set_message(msg.to_string());
        pb.enable_steady_tick(Duration::from_millis(120));
        pb
    }

    fn bar(&self, len: u64) -> ProgressBar {
        if self.visible {
            ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr())
        } else {
            ProgressBar::hidden()
        }
    }
}
