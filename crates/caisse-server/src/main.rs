//! `caisse`: the single binary of the portal and back office.

mod admin;
mod app;
mod cli;
mod dev;
mod mail_dir;
mod private_files;
mod redis_counters;
mod secret;
mod settings;
mod smtp;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command, ConfigCommand, DevCommand};
use crate::settings::{Loaded, LogFormat, Settings};

fn main() -> ExitCode {
    // Before anything is written: the database, the attachments and the key are the service
    // user's only.
    private_files::restrict_new_files();
    let cli = Cli::parse();
    let loaded = match Loaded::read(cli.config.as_deref(), &|name| std::env::var(name).ok()) {
        Ok(loaded) => loaded,
        Err(error) => {
            eprintln!("caisse: {error}");
            return ExitCode::from(2);
        }
    };
    if let Command::Config(ConfigCommand::Check) = cli.command {
        return match loaded.report() {
            Ok(report) => {
                print!("{report}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("caisse: {error}");
                ExitCode::FAILURE
            }
        };
    }
    let settings: Settings = loaded.settings;
    init_tracing(settings.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("caisse: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Serve(options) => app::serve(settings, options, app::Mode::Production).await,
            Command::Demo(options) => app::serve(settings, options, app::Mode::Demo).await,
            Command::Worker(options) => app::worker(settings, options).await,
            Command::Migrate => app::migrate(settings).await,
            Command::Admin(command) => admin::run(settings, command).await,
            Command::Dev(DevCommand::PaymentEmulator { listen }) => {
                dev::payment_emulator(settings, listen).await
            }
            // Answered above, before the runtime starts.
            Command::Config(ConfigCommand::Check) => Ok(()),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("caisse: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The levels when `RUST_LOG` is not set: the portal's events, warnings of the libraries (slow
/// SQL statements among them).
const DEFAULT_LOG_FILTER: &str =
    "info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn,tower_http=warn";

fn init_tracing(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_LOG_FILTER));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let registry = tracing_subscriber::registry()
        .with(filter)
        .with(never_traced());
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(ansi);
    match format {
        LogFormat::Text => registry.with(layer).init(),
        LogFormat::Json => registry.with(layer.json()).init(),
    }
}

/// Caps what no `RUST_LOG` may open: sea-orm's trace spans record its connection options (the
/// database URL, password included) and, on streams, the values bound to a statement.
fn never_traced() -> tracing_subscriber::filter::Targets {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    Targets::new()
        .with_default(LevelFilter::TRACE)
        .with_target("sea_orm", LevelFilter::DEBUG)
}

#[cfg(test)]
mod tests {
    use tracing::Level;

    use super::never_traced;

    #[test]
    fn sea_orm_traces_stay_off_whatever_rust_log_says() {
        let cap = never_traced();
        assert!(!cap.would_enable("sea_orm::driver::sqlx_postgres", &Level::TRACE));
        assert!(cap.would_enable("sea_orm::driver::sqlx_postgres", &Level::DEBUG));
        assert!(cap.would_enable("sqlx::query", &Level::TRACE));
        assert!(cap.would_enable("caisse_core::auth", &Level::TRACE));
    }
}
