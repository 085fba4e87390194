//! Snapshots of `render_text` on the course's packets, in French and English.

use crate::explain::{Context, Lang, explain, render_text};
use crate::sip::Message;

const F1: &[u8] = include_bytes!("../../../samples/messages/seed_f1_register.sip");
const F2: &[u8] = include_bytes!("../../../samples/messages/seed_f2_401.sip");
const F4: &[u8] = include_bytes!("../../../samples/messages/seed_f4_register_proxy.sip");
const F5: &[u8] = include_bytes!("../../../samples/messages/seed_f5_200.sip");
const INVITE: &[u8] = include_bytes!("../../../samples/messages/invite_sdp_1k.sip");

fn render(raw: &[u8], ctx: &Context<'_>, lang: Lang) -> String {
    let msg = Message::parse(raw).unwrap();
    render_text(&explain(&msg, ctx, lang), raw)
}

fn f2_context<'a>(f1: &'a Message<'a>) -> Context<'a> {
    Context {
        sender_label: Some("proxy"),
        receiver_label: Some("UAC"),
        request: Some(f1),
        ..Context::default()
    }
}

#[test]
fn f1_register() {
    insta::assert_snapshot!("f1_fr", render(F1, &Context::default(), Lang::Fr));
    insta::assert_snapshot!("f1_en", render(F1, &Context::default(), Lang::En));
}

#[test]
fn f2_401() {
    let f1 = Message::parse(F1).unwrap();
    let ctx = f2_context(&f1);
    insta::assert_snapshot!("f2_fr", render(F2, &ctx, Lang::Fr));
    insta::assert_snapshot!("f2_en", render(F2, &ctx, Lang::En));
}

#[test]
fn f4_f5_proxy_as_uac() {
    let ctx = Context {
        sender_label: Some("proxy"),
        receiver_label: Some("server"),
        proxy_reissue: true,
        ..Context::default()
    };
    insta::assert_snapshot!("f4_fr", render(F4, &ctx, Lang::Fr));
    let f4 = Message::parse(F4).unwrap();
    let ctx = Context {
        sender_label: Some("server"),
        receiver_label: Some("proxy"),
        request: Some(&f4),
        ..Context::default()
    };
    insta::assert_snapshot!("f5_fr", render(F5, &ctx, Lang::Fr));
}

#[test]
fn invite_with_sdp() {
    insta::assert_snapshot!("invite_fr", render(INVITE, &Context::default(), Lang::Fr));
    insta::assert_snapshot!("invite_en", render(INVITE, &Context::default(), Lang::En));
}
