//! The `sshexplain` command.

mod cli;
mod init;
mod live;
mod paste;
mod run;

use clap::FromArgMatches;
use sshexplain::lang::Lang;

fn main() {
    let lang = cli::lang_from_args(std::env::args_os()).unwrap_or_else(Lang::from_env);
    let matches = cli::command(lang).get_matches();
    let cli = cli::Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    std::process::exit(cli::run(cli));
}
