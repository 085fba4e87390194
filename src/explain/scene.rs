//! What every part of one message's explanation shares: the message, its context, the
//! catalog, and who is speaking to whom.

use crate::sip::{Message, Method};

use super::catalog::{Catalog, catalog};
use super::context::Context;
use super::lang::Lang;

/// The message being explained, with everything needed to word its explanation.
pub(crate) struct Scene<'s, 'a> {
    /// The message.
    pub(crate) msg: &'s Message<'a>,
    /// What the correlation layer knows about it.
    pub(crate) ctx: &'s Context<'s>,
    /// The texts.
    pub(crate) cat: &'static Catalog,
    /// True for a request.
    pub(crate) request: bool,
    /// The method of the request, or of the request a response answers (from CSeq).
    pub(crate) method: Option<Method<'a>>,
    /// The sender as a noun phrase (`l'UAC`, `le proxy`, `SFLphone`).
    pub(crate) sender: String,
    /// The receiver as a noun phrase.
    pub(crate) receiver: String,
    /// The sender as a complement (`de l'UAC`, `du proxy`, `of the UAC`).
    pub(crate) sender_of: String,
    /// The receiver as a complement.
    pub(crate) receiver_of: String,
}

impl<'s, 'a> Scene<'s, 'a> {
    /// Gathers what the explanation of `msg` needs.
    pub(crate) fn new(msg: &'s Message<'a>, ctx: &'s Context<'s>, lang: Lang) -> Self {
        let cat = catalog(lang);
        let request = msg.is_request();
        let method = msg.method().or_else(|| msg.cseq().map(|c| c.method));
        let (default_sender, default_receiver) = if request {
            if ctx.proxy_reissue {
                ("proxy", "uas")
            } else {
                ("uac", "uas")
            }
        } else {
            ("uas", "uac")
        };
        let sender = role(cat, "role", ctx.sender_label, default_sender);
        let receiver = role(cat, "role", ctx.receiver_label, default_receiver);
        let sender_of = role(cat, "role_of", ctx.sender_label, default_sender);
        let receiver_of = role(cat, "role_of", ctx.receiver_label, default_receiver);
        Scene {
            msg,
            ctx,
            cat,
            request,
            method,
            sender,
            receiver,
            sender_of,
            receiver_of,
        }
    }

    /// The method name, or an empty string.
    pub(crate) fn method_name(&self) -> &'a str {
        self.method.map_or("", |m| m.as_str())
    }

    /// The text of `key`, with `sender`, `receiver` and `method` available besides `args`.
    pub(crate) fn t(&self, key: &str, args: &[(&str, &str)]) -> String {
        let all = self.with_common(args);
        self.cat.text(key, &all)
    }

    /// The text of the first existing key of `keys`, with the common values.
    pub(crate) fn first_of(&self, keys: &[&str], args: &[(&str, &str)]) -> String {
        let all = self.with_common(args);
        self.cat.first_of(keys, &all)
    }

    /// True when the catalog has `key`.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.cat.has(key)
    }

    fn with_common<'x>(&'x self, args: &[(&'x str, &'x str)]) -> Vec<(&'x str, &'x str)> {
        let mut all = args.to_vec();
        all.push(("sender", &self.sender));
        all.push(("receiver", &self.receiver));
        all.push(("sender_of", &self.sender_of));
        all.push(("receiver_of", &self.receiver_of));
        all.push(("method", self.method_name()));
        all
    }
}

/// A role or label in the form of `family` (`role`: a noun phrase, `role_of`: a complement):
/// known roles from the catalog (`role.proxy`), anything else through `FAMILY.named`.
pub(crate) fn role(cat: &Catalog, family: &str, label: Option<&str>, default: &str) -> String {
    match label {
        Some(l) => {
            let key = format!("{family}.{}", l.trim().to_ascii_lowercase());
            if cat.has(&key) {
                cat.text(&key, &[])
            } else {
                cat.text(&format!("{family}.named"), &[("label", l)])
            }
        }
        None => cat.text(&format!("{family}.{default}"), &[]),
    }
}
