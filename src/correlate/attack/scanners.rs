//! User-Agents of the tools that scan and attack SIP servers, kept as data: a substring of the
//! User-Agent (compared without case) and the tool's name. A legitimate phone never sends them,
//! so one request is enough to name the sender a scanner.

/// `(substring of the User-Agent, lowercase; tool)`.
const SCANNERS: &[(&str, &str)] = &[
    ("friendly-scanner", "SIPVicious"),
    ("sipvicious", "SIPVicious"),
    ("sipcli", "sipcli"),
    ("vaxsipuseragent", "VaxSIP"),
    ("sipsak", "sipsak"),
    ("sundayddr", "SundayDDR"),
    ("sip-scan", "sip-scan"),
    ("sivus", "SiVuS"),
    ("pplsip", "PPLSIP"),
    ("sipptk", "sipptk"),
    ("voipbuster", "VoIPBuster"),
    ("cantcoco", "cantcoco"),
];

/// The tool a User-Agent names, when it is a known scanner's.
pub(super) fn scanner(agent: &str) -> Option<&'static str> {
    // User-Agents are short; a long one is cut to the part a tool's name could be in.
    let head = agent.get(..agent.len().min(96)).unwrap_or(agent);
    let lower = head.to_ascii_lowercase();
    SCANNERS
        .iter()
        .find(|(needle, _)| lower.contains(needle))
        .map(|(_, tool)| *tool)
}

#[cfg(test)]
mod tests {
    use super::scanner;

    #[test]
    fn names_the_tools_and_not_the_phones() {
        assert_eq!(scanner("friendly-scanner"), Some("SIPVicious"));
        assert_eq!(scanner("sipcli/v1.8"), Some("sipcli"));
        assert_eq!(scanner("VaxSIPUserAgent/3.1"), Some("VaxSIP"));
        assert_eq!(scanner("Linphone/5.2 (belle-sip/5.2)"), None);
        assert_eq!(scanner("Asterisk PBX 18.10.0"), None);
        assert_eq!(scanner("Grandstream GXP2170 1.0.11.23"), None);
    }
}
