//! The catalogs are complete: every known header, every method and every IANA status code
//! has French and English text, both languages have the same keys and the same
//! placeholders, and no sample message shows a missing text.

use std::collections::BTreeSet;

use crate::explain::catalog::catalog;
use crate::explain::template::placeholders;
use crate::explain::{Context, Lang, explain, render_text};
use crate::sip::status::STATUS_CODES;
use crate::sip::{HeaderName, Message};

const METHODS: [&str; 14] = [
    "ACK",
    "BYE",
    "CANCEL",
    "INFO",
    "INVITE",
    "MESSAGE",
    "NOTIFY",
    "OPTIONS",
    "PRACK",
    "PUBLISH",
    "REFER",
    "REGISTER",
    "SUBSCRIBE",
    "UPDATE",
];

fn missing(lang: Lang, keys: impl Iterator<Item = String>) -> Vec<String> {
    let cat = catalog(lang);
    keys.filter(|k| !cat.has(k)).collect()
}

#[test]
fn catalogs_parse() {
    for lang in Lang::ALL {
        assert_eq!(catalog(lang).error, None, "catalog {lang}");
    }
}

#[test]
fn every_known_header_has_text() {
    for lang in Lang::ALL {
        let keys = HeaderName::KNOWN
            .iter()
            .map(|h| format!("header.{}.about", h.as_str()));
        assert_eq!(missing(lang, keys), Vec::<String>::new(), "{lang}");
    }
}

#[test]
fn every_method_has_text() {
    for lang in Lang::ALL {
        let keys = METHODS.iter().flat_map(|m| {
            [
                format!("method.{m}.line"),
                format!("method.{m}.about"),
                format!("summary.request.{m}"),
            ]
        });
        assert_eq!(missing(lang, keys), Vec::<String>::new(), "{lang}");
    }
}

#[test]
fn every_iana_status_code_has_text() {
    for lang in Lang::ALL {
        let keys = STATUS_CODES.iter().map(|s| format!("status.{}", s.code));
        assert_eq!(missing(lang, keys), Vec::<String>::new(), "{lang}");
        let classes = [
            "provisional",
            "success",
            "redirection",
            "client_error",
            "server_error",
            "global_failure",
            "invalid",
        ];
        let keys = classes.iter().flat_map(|c| {
            [
                format!("status_class.{c}"),
                format!("status_unregistered.{c}"),
                format!("summary.response.{c}"),
            ]
        });
        assert_eq!(missing(lang, keys), Vec::<String>::new(), "{lang}");
    }
}

#[test]
fn the_issue_parameters_have_text() {
    let keys = [
        "param.via.branch.request",
        "param.via.branch.response",
        "param.via.rport.flag_request",
        "param.via.rport.response",
        "param.via.received.response",
        "param.via.maddr.text",
        "param.via.ttl.text",
        "param.any.lr.flag",
        "param.from.tag.request",
        "param.to.tag.response",
        "param.contact.expires.request",
        "param.contact.q.text",
        "param.any.transport.text",
        "param.any.user.text",
        "param.any.method.text",
        "param.challenge.realm.text",
        "param.challenge.nonce.text",
        "param.challenge.qop.text",
        "param.challenge.algorithm.text",
        "param.challenge.opaque.text",
        "param.challenge.stale.true",
        "param.credentials.username.text",
        "param.credentials.uri.text",
        "param.credentials.response.text",
        "param.credentials.cnonce.text",
        "param.credentials.nc.text",
        "sdp.a.rtpmap",
        "sdp.a.fmtp",
        "sdp.a.ptime",
        "sdp.a.sendrecv",
        "sdp.a.sendonly",
        "sdp.a.recvonly",
        "sdp.a.inactive",
        "sdp.a.rtcp",
        "sdp.a.candidate",
        "sdp.a.crypto",
        "sdp.a.setup.actpass",
        "sdp.a.fingerprint",
    ];
    for lang in Lang::ALL {
        let m = missing(lang, keys.iter().map(|k| (*k).to_owned()));
        assert_eq!(m, Vec::<String>::new(), "{lang}");
    }
}

#[test]
fn languages_have_the_same_keys_and_placeholders() {
    let fr = catalog(Lang::Fr);
    let en = catalog(Lang::En);
    let fr_keys: BTreeSet<&str> = fr.keys().collect();
    let en_keys: BTreeSet<&str> = en.keys().collect();
    let only_fr: Vec<_> = fr_keys.difference(&en_keys).collect();
    let only_en: Vec<_> = en_keys.difference(&fr_keys).collect();
    assert!(only_fr.is_empty(), "only in fr.toml: {only_fr:?}");
    assert!(only_en.is_empty(), "only in en.toml: {only_en:?}");
    for k in fr_keys {
        let a: BTreeSet<String> = placeholders(fr.get(k).unwrap_or("")).into_iter().collect();
        let b: BTreeSet<String> = placeholders(en.get(k).unwrap_or("")).into_iter().collect();
        assert_eq!(a, b, "placeholders of {k}");
    }
}

#[test]
fn no_sample_shows_a_missing_text() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/messages");
    let mut files = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(dir)];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "sip") {
                files.push(p);
            }
        }
    }
    assert!(files.len() > 30);
    for f in files {
        let raw = std::fs::read(&f).unwrap();
        let Ok(msg) = Message::parse(&raw) else {
            continue;
        };
        for lang in Lang::ALL {
            let text = render_text(&explain(&msg, &Context::default(), lang), &raw);
            assert!(
                !text.contains("[missing text"),
                "{} in {lang}:\n{text}",
                f.display()
            );
            // A placeholder left unfilled is a catalog mistake.
            for name in [
                "{sender}", "{value}", "{host}", "{uri}", "{method}", "{Sender}",
            ] {
                assert!(
                    !text.contains(name),
                    "{} in {lang}: {name}\n{text}",
                    f.display()
                );
            }
        }
    }
}

/// Prints the coverage figures (`cargo test coverage_figures -- --nocapture`).
#[test]
fn coverage_figures() {
    for lang in Lang::ALL {
        let cat = catalog(lang);
        let count = |prefix: &str| cat.keys().filter(|k| k.starts_with(prefix)).count();
        println!(
            "{lang}: {} keys; headers {} (+{} extra), params {}, option tags {}, event packages {}, methods {}, status codes {}, SDP {}, codecs {}",
            cat.keys().count(),
            cat.keys()
                .filter(|k| k.starts_with("header.") && k.ends_with(".about"))
                .count(),
            count("header_extra."),
            count("param."),
            count("option."),
            count("event."),
            cat.keys()
                .filter(|k| k.starts_with("method.") && k.ends_with(".line"))
                .count(),
            count("status."),
            count("sdp."),
            count("codec."),
        );
    }
}
