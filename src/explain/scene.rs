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
    /// Who wrote the message: the sender, except for a forwarded request, written by the UAC.
    /// Header texts speak of the author (`{sender}`); the summary, the first line and the top
    /// Via speak of the sender.
    pub(crate) author: String,
    /// The author as a complement.
    pub(crate) author_of: String,
    /// True for a request that went through at least one relay (several Via values) and is
    /// not re-issued by its sender: the sender relays it, it did not write it.
    pub(crate) forwarded: bool,
}

impl<'s, 'a> Scene<'s, 'a> {
    /// Gathers what the explanation of `msg` needs.
    pub(crate) fn new(msg: &'s Message<'a>, ctx: &'s Context<'s>, lang: Lang) -> Self {
        let cat = catalog(lang);
        let request = msg.is_request();
        let method = msg.method().or_else(|| msg.cseq().map(|c| c.method));
        // A request with several Via values was forwarded: its sender is a proxy; a
        // response with several goes to a proxy.
        let forwarded = msg.vias().nth(1).is_some();
        let (default_sender, default_receiver) = match (request, forwarded) {
            (true, true) => ("proxy", "uas"),
            (true, false) if ctx.proxy_reissue => ("proxy", "uas"),
            (true, false) => ("uac", "uas"),
            (false, true) => ("uas", "proxy"),
            (false, false) => ("uas", "uac"),
        };
        let sender = role(cat, "role", ctx.sender_label, default_sender);
        let receiver = role(cat, "role", ctx.receiver_label, default_receiver);
        let sender_of = role(cat, "role_of", ctx.sender_label, default_sender);
        let forwarded = request && forwarded && !ctx.proxy_reissue;
        let (author, author_of) = if forwarded {
            (cat.text("role.uac", &[]), cat.text("role_of.uac", &[]))
        } else {
            (sender.clone(), sender_of.clone())
        };
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
            author,
            author_of,
            forwarded,
        }
    }

    /// `args` plus the sender itself (not the author) as `sender`, for texts about who sends
    /// the packet.
    pub(crate) fn as_sender<'x>(&'x self, args: &[(&'x str, &'x str)]) -> Vec<(&'x str, &'x str)> {
        let mut all = args.to_vec();
        all.push(("sender", &self.sender));
        all.push(("sender_of", &self.sender_of));
        all
    }

    /// The method name, or an empty string.
    pub(crate) fn method_name(&self) -> &'a str {
        self.method.map_or("", |m| m.as_str())
    }

    /// The text of `key`, with `sender` (the author), `receiver` and `method` available
    /// besides `args`.
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
        all.push(("sender", &self.author));
        all.push(("receiver", &self.receiver));
        all.push(("sender_of", &self.author_of));
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
