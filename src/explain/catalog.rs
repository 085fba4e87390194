//! The catalogs: every explanation text, one TOML file per language, kept as data.
//!
//! `catalog/fr.toml` and `catalog/en.toml` are compiled into the binary and parsed once, on
//! first use. Nested tables are flattened into dotted keys (`header.Via.transport`). A
//! malformed catalog never stops the program: its texts show as `[missing text KEY]` and the
//! tests fail on it.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use super::lang::Lang;
use super::template::fill;

const FR: &str = include_str!("catalog/fr.toml");
const EN: &str = include_str!("catalog/en.toml");

/// One language's texts, by dotted key.
#[derive(Debug, Default)]
pub(crate) struct Catalog {
    texts: BTreeMap<String, String>,
    /// Why the catalog could not be read, if it could not (checked by the tests).
    pub(crate) error: Option<String>,
}

static CATALOGS: LazyLock<[Catalog; 2]> = LazyLock::new(|| [Catalog::load(FR), Catalog::load(EN)]);

/// The catalog of `lang`.
pub(crate) fn catalog(lang: Lang) -> &'static Catalog {
    let [fr, en] = &*CATALOGS;
    match lang {
        Lang::Fr => fr,
        Lang::En => en,
    }
}

impl Catalog {
    /// Parses a catalog; errors are recorded, not raised.
    pub(crate) fn load(source: &str) -> Catalog {
        let mut cat = Catalog::default();
        match source.parse::<toml::Table>() {
            Ok(table) => {
                let mut errors = Vec::new();
                flatten("", &table, &mut cat.texts, &mut errors);
                if !errors.is_empty() {
                    cat.error = Some(errors.join("; "));
                }
            }
            Err(e) => cat.error = Some(e.to_string()),
        }
        cat
    }

    /// The raw template of `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.texts.get(key).map(String::as_str)
    }

    /// True when `key` has a text.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.texts.contains_key(key)
    }

    /// The text of `key` with its placeholders filled; `[missing text KEY]` when absent.
    pub(crate) fn text(&self, key: &str, args: &[(&str, &str)]) -> String {
        match self.get(key) {
            Some(t) => fill(t, args),
            None => format!("[missing text {key}]"),
        }
    }

    /// The text of the first key of `keys` that exists.
    pub(crate) fn first_of(&self, keys: &[&str], args: &[(&str, &str)]) -> String {
        keys.iter().find_map(|k| self.get(k)).map_or_else(
            || format!("[missing text {}]", keys.first().copied().unwrap_or("")),
            |t| fill(t, args),
        )
    }

    /// Every key, in order.
    #[cfg(test)]
    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        self.texts.keys().map(String::as_str)
    }
}

fn flatten(
    prefix: &str,
    table: &toml::Table,
    out: &mut BTreeMap<String, String>,
    errors: &mut Vec<String>,
) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            toml::Value::Table(t) => flatten(&key, t, out, errors),
            _ => errors.push(format!("{key} is not a text")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattens_and_reports() {
        let c = Catalog::load("[header.Via]\nabout = \"Via {value}\"\n[status]\n401 = \"x\"\n");
        assert!(c.error.is_none());
        assert_eq!(c.text("header.Via.about", &[("value", "v")]), "Via v");
        assert_eq!(c.get("status.401"), Some("x"));
        assert_eq!(c.text("nope", &[]), "[missing text nope]");
        assert_eq!(c.first_of(&["nope", "status.401"], &[]), "x");
        assert!(Catalog::load("a = 1").error.is_some());
        assert!(Catalog::load("a = \"unterminated").error.is_some());
    }

    #[test]
    fn shipped_catalogs_read() {
        for lang in Lang::ALL {
            let c = catalog(lang);
            assert_eq!(c.error, None, "{lang}");
            assert!(c.keys().count() > 100, "{lang}");
        }
    }
}
