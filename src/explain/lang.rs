//! The language of the explanations: French, the language of the reference course, or English.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// A language with a catalog of explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// French, the language of the course the explanations follow.
    Fr,
    /// English, the fallback when the environment names no known language.
    #[default]
    En,
}

impl Lang {
    /// Every language, in the order catalogs are checked.
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    /// The language the user's locale asks for: the first non-empty of `LC_ALL`,
    /// `LC_MESSAGES` and `LANG` (POSIX precedence), French when it starts with `fr`, English
    /// otherwise.
    pub fn from_env() -> Lang {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty());
        locale.map_or(Lang::En, |l| Lang::from_locale(&l))
    }

    /// The language of a locale string such as `fr_FR.UTF-8` or `en_GB`: French when it
    /// starts with `fr`, English otherwise.
    pub fn from_locale(locale: &str) -> Lang {
        if locale
            .get(..2)
            .is_some_and(|p| p.eq_ignore_ascii_case("fr"))
        {
            Lang::Fr
        } else {
            Lang::En
        }
    }

    /// The two-letter code (`fr`, `en`).
    pub fn code(&self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A language code that has no catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLang {
    /// The code as given.
    pub given: String,
}

impl fmt::Display for UnknownLang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown language '{}': expected fr or en", self.given)
    }
}

impl std::error::Error for UnknownLang {}

impl FromStr for Lang {
    type Err = UnknownLang;

    /// Accepts `fr` and `en` in any case.
    fn from_str(s: &str) -> Result<Lang, UnknownLang> {
        if s.eq_ignore_ascii_case("fr") {
            Ok(Lang::Fr)
        } else if s.eq_ignore_ascii_case("en") {
            Ok(Lang::En)
        } else {
            Err(UnknownLang {
                given: s.to_owned(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_and_codes() {
        assert_eq!(Lang::from_locale("fr_FR.UTF-8"), Lang::Fr);
        assert_eq!(Lang::from_locale("FR"), Lang::Fr);
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("C"), Lang::En);
        assert_eq!(Lang::from_locale(""), Lang::En);
        assert_eq!("fr".parse::<Lang>(), Ok(Lang::Fr));
        assert_eq!("EN".parse::<Lang>(), Ok(Lang::En));
        assert!("de".parse::<Lang>().is_err());
        assert_eq!(Lang::Fr.to_string(), "fr");
    }
}
