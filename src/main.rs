//! The `clout` command: parse arguments, run, turn errors into a message and an exit code.

use clap::Parser;

fn main() {
    let cli = clout::cli::Cli::parse();
    if let Err(err) = clout::cli::run(cli) {
        eprintln!("clout: error: {err:#}");
        std::process::exit(1);
    }
}
