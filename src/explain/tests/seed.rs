//! The course's F1 REGISTER and F2 401, explained in French: every bullet of the course's
//! explanation lists must have its counterpart, with this packet's values. Assertions are on
//! the concept words, not on whole sentences.

use crate::explain::{Context, Explanation, Lang, explain};
use crate::sip::Message;

const F1: &[u8] = include_bytes!("../../../samples/messages/seed_f1_register.sip");
const F2: &[u8] = include_bytes!("../../../samples/messages/seed_f2_401.sip");

/// Everything said about the header `name` (its lines and its parameters), lower-cased.
fn about(exp: &Explanation, name: &str) -> String {
    let mut s = String::new();
    for h in exp.headers.iter().filter(|h| h.name == name) {
        for l in &h.lines {
            s.push_str(l);
            s.push('\n');
        }
        for p in &h.params {
            s.push_str(&format!("{}={:?} {}\n", p.name, p.value, p.explanation));
        }
    }
    assert!(!s.is_empty(), "no explanation for {name}");
    s.to_lowercase()
}

/// The explanation of parameter `param` of header `name`, lower-cased.
fn param(exp: &Explanation, name: &str, param: &str) -> String {
    exp.headers
        .iter()
        .filter(|h| h.name == name)
        .flat_map(|h| &h.params)
        .find(|p| p.name == param)
        .map(|p| p.explanation.to_lowercase())
        .unwrap_or_else(|| panic!("no {param} under {name}"))
}

fn has_all(text: &str, words: &[&str]) {
    for w in words {
        assert!(
            text.contains(&w.to_lowercase()),
            "expected «{w}» in:\n{text}"
        );
    }
}

fn f1() -> Explanation {
    let msg = Message::parse(F1).unwrap();
    explain(&msg, &Context::default(), Lang::Fr)
}

#[test]
fn f1_register_every_bullet_of_the_course() {
    let e = f1();
    // REGISTER : L'UAC demande un enregistrement auprès du registrar du domaine REALM.
    has_all(
        &e.first_line_explanation.join("\n").to_lowercase(),
        &["l'uac", "enregistrement", "registrar", "domaine 192.0.2.10"],
    );
    // Via : UDP, IP de l'UAC, rport (port source UDP, NAT), branch (UID de la requête).
    has_all(&about(&e, "Via"), &["udp", "ip de l'uac", "192.0.2.101"]);
    has_all(
        &param(&e, "Via", "rport"),
        &["réponse", "port source", "udp", "via", "traversée du nat"],
    );
    has_all(
        &param(&e, "Via", "branch"),
        &[
            "uid de la requête",
            "émises par l'uac",
            "transaction",
            "z9hg4bk",
        ],
    );
    // Route : l'UAC force le routage vers IP_proxy ; lr : loose routing.
    has_all(
        &about(&e, "Route"),
        &["l'uac force le routage", "192.0.2.10"],
    );
    has_all(&param(&e, "Route", "lr"), &["loose routing"]);
    // Max-Forwards : le paquet ne doit pas passer par plus de 70 relais SIP.
    has_all(
        &about(&e, "Max-Forwards"),
        &["le paquet ne doit pas passer par plus de 70 relais sip"],
    );
    // From : l'URI de l'utilisateur ; tag : la moitié du tag de dialogue choisie par l'UAC.
    has_all(
        &about(&e, "From"),
        &["uri", "l'utilisateur", "sip:202@192.0.2.10"],
    );
    has_all(
        &param(&e, "From", "tag"),
        &["moitié", "tag de dialogue", "choisie par l'uac"],
    );
    // To : idem From pour un REGISTER ; pas de tag To, l'autre n'a pas encore transmis le sien.
    has_all(&about(&e, "To"), &["from", "register"]);
    has_all(
        &about(&e, "To"),
        &[
            "pas de tag to",
            "l'autre interlocuteur n'a pas encore transmis le sien",
        ],
    );
    // Call-ID : identifie un dialogue, insuffisant seul (hairpinning) : les tags.
    has_all(
        &about(&e, "Call-ID"),
        &[
            "identifie",
            "dialogue",
            "ne suffit pas",
            "tags",
            "hairpinning",
        ],
    );
    // CSeq : numéro de transaction (requête-réponse), incrémenté ; méthode de la R-URI.
    has_all(
        &about(&e, "CSeq"),
        &[
            "21002",
            "transaction",
            "requête-réponse",
            "incrémenté",
            "méthode",
            "register",
        ],
    );
    // User-Agent : le nom de l'UAC.
    has_all(&about(&e, "User-Agent"), &["nom", "sflphone", "l'uac"]);
    // Contact : l'URI proposée pour être contacté lors de requêtes ultérieures.
    has_all(
        &about(&e, "Contact"),
        &[
            "sip:202@192.0.2.101:5060",
            "être contacté",
            "requêtes ultérieures",
        ],
    );
    // Expires : la durée de validité souhaitée de l'enregistrement en secondes.
    has_all(
        &about(&e, "Expires"),
        &[
            "durée de validité souhaitée",
            "enregistrement",
            "60 secondes",
        ],
    );
    // Allow : les méthodes supportées par l'UAC.
    has_all(
        &about(&e, "Allow"),
        &["méthodes", "l'uac", "prack", "message"],
    );
    // Content-Length : taille du payload en octets.
    has_all(
        &about(&e, "Content-Length"),
        &["taille", "payload", "octets", "0"],
    );
    // Le résumé : une demande d'enregistrement par l'UAC.
    has_all(
        &e.summary.to_lowercase(),
        &["l'uac", "enregistrement", "registrar"],
    );
}

#[test]
fn f2_401_every_bullet_of_the_course() {
    let f1 = Message::parse(F1).unwrap();
    let msg = Message::parse(F2).unwrap();
    let ctx = Context {
        sender_label: Some("proxy"),
        request: Some(&f1),
        ..Context::default()
    };
    let e = explain(&msg, &ctx, Lang::Fr);
    // 401 : le proxy souhaite authentifier l'utilisateur.
    has_all(
        &e.first_line_explanation.join("\n").to_lowercase(),
        &["le proxy souhaite authentifier l'utilisateur"],
    );
    // Via : transport UDP ; émise par IP_A ; rport : émise du port 5060 ; branch de l'UAC.
    has_all(
        &about(&e, "Via"),
        &[
            "le transport est udp",
            "la requête a été émise par",
            "192.0.2.101",
        ],
    );
    has_all(
        &param(&e, "Via", "rport"),
        &["la requête a été émise du port 5060"],
    );
    has_all(
        &param(&e, "Via", "branch"),
        &["identique", "requête register", "l'uac", "transaction"],
    );
    // From : l'utilisateur qui a initié la requête ; tag choisi par l'UAC (ID de dialogue).
    has_all(
        &about(&e, "From"),
        &["initiée par l'utilisateur", "sip:202@192.0.2.10"],
    );
    has_all(
        &param(&e, "From", "tag"),
        &["choisi par l'uac", "identifiant de dialogue"],
    );
    // To : même valeur que From, cas particulier du REGISTER ; tag choisi par le proxy.
    has_all(
        &about(&e, "To"),
        &["la même que", "from", "cas particulier", "register"],
    );
    has_all(
        &param(&e, "To", "tag"),
        &["choisi par le proxy", "identifiant de dialogue"],
    );
    // Call-ID : identique à celui de la requête.
    has_all(&about(&e, "Call-ID"), &["identique", "requête"]);
    // CSeq : le numéro de la requête (idem F1) ; la méthode de la requête, REGISTER ici.
    has_all(
        &about(&e, "CSeq"),
        &[
            "21002",
            "numéro de la requête",
            "méthode de la requête",
            "register ici",
        ],
    );
    // WWW-Authenticate : Digest (hachage) ; realm : le domaine REALM ; nonce : l'aléa.
    has_all(&about(&e, "WWW-Authenticate"), &["digest", "hachage"]);
    has_all(
        &param(&e, "WWW-Authenticate", "realm"),
        &["le domaine 192.0.2.10"],
    );
    has_all(&param(&e, "WWW-Authenticate", "nonce"), &["l'aléa"]);
    // Server : le nom du proxy.
    has_all(&about(&e, "Server"), &["nom", "kamailio", "du proxy"]);
    // Content-Length : taille du payload.
    has_all(&about(&e, "Content-Length"), &["taille", "payload"]);
    // Le résumé, comme l'issue le demande.
    assert_eq!(
        e.summary,
        "Le proxy demande une preuve d'authentification pour le domaine 192.0.2.10."
    );
    // La réponse reprend la branch de la requête F1.
    has_all(
        &e.notes.join("\n").to_lowercase(),
        &["réponse à la requête register"],
    );
}

#[test]
fn f2_without_context_still_explains() {
    let msg = Message::parse(F2).unwrap();
    let e = explain(&msg, &Context::default(), Lang::Fr);
    has_all(
        &e.first_line_explanation.join("\n").to_lowercase(),
        &["l'uas souhaite authentifier l'utilisateur"],
    );
    has_all(&param(&e, "Via", "rport"), &["émise du port 5060"]);
    has_all(&param(&e, "Via", "branch"), &["renvoyé tel quel"]);
}
