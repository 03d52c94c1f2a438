//! The `clout` command: parse arguments, run, turn errors into a message and an exit code.

use clap::Parser;

fn main() {
    let cli = clout::cli::Cli::parse();
    if let Err(err) = clout::cli::run(cli) {
        // `clout … | head`: the reader went away; like other Unix tools, stop quietly.
        if clout::cli::is_broken_pipe(&err) {
            std::process::exit(0);
        }
        eprintln!("clout: error: {err:#}");
        std::process::exit(1);
    }
}
