//! `--redact` and `--redact-key`: one redactor for the whole run, set before the subcommand
//! starts; [`crate::reading::read_into`] puts it in front of every reading.

use crate::correlate::FilterArgs;
use crate::redact::Redactor;

/// The redaction options (clap arguments; each doc comment is its help text).
#[derive(Clone, Debug, Default, clap::Args)]
pub struct RedactArgs {
    /// Replace addresses, users and phone numbers, display names, credentials, keys and voice
    /// with stand-ins, the same all through the run, in everything written (the README says
    /// what is kept). Filters then take the original values.
    #[arg(long)]
    pub redact: bool,
    /// Derive the stand-ins from this key, so that they are the same from run to run
    /// (implies --redact).
    #[arg(
        long,
        value_name = "KEY",
        env = "SIPLADDER_REDACT_KEY",
        hide_env_values = true
    )]
    pub redact_key: Option<String>,
}

impl RedactArgs {
    /// Whether anything is to be redacted.
    pub fn wanted(&self) -> bool {
        self.redact || self.redact_key.is_some()
    }
}

/// Sets up the run's redaction when the command asks for it, and turns the values its
/// filters compare (addresses, users, Call-IDs) into their stand-ins.
pub(crate) fn set_up(options: &RedactArgs, filters: Option<&mut FilterArgs>) {
    if !options.wanted() {
        return;
    }
    let mut redactor = Redactor::new(options.redact_key.as_deref());
    if let Some(filters) = filters {
        translate(filters, &mut redactor);
    }
    crate::reading::redact_every_reading(redactor);
}

/// The filters' values as the redacted capture spells them.
fn translate(filters: &mut FilterArgs, redactor: &mut Redactor) {
    if let Some(host) = &mut filters.host {
        *host = match host.parse::<std::net::SocketAddr>() {
            Ok(addr) => redactor.socket(addr).to_string(),
            Err(_) => redactor.text(host),
        };
    }
    // A call's number stays; a Call-ID has its addresses replaced.
    if let Some(call) = &mut filters.call {
        if call.parse::<usize>().is_err() {
            *call = redactor.text(call);
        }
    }
    for value in [&mut filters.from, &mut filters.to].into_iter().flatten() {
        *value = redactor.user_or_text(value);
    }
}
