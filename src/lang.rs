//! The language of reports: English or Japanese.
//!
//! Every human-readable text exists in both languages, written side by side
//! where it is used: cause titles and docs in [`causes!`](crate::diagnose),
//! summaries and steps with [`tr!`]. IDs, JSON field names and commands stay
//! as they are.

use serde::Serialize;

/// A report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// Japanese.
    Ja,
}

impl Lang {
    /// Every language, in `--lang` order.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ja];

    /// The code used by `--lang` and JSON: `en`, `ja`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    /// Parses a `--lang` value or a POSIX locale name (`ja_JP.UTF-8`,
    /// `en_US`, `C`); `None` for anything else.
    pub fn from_locale(s: &str) -> Option<Lang> {
        let base = s
            .split(['.', '@'])
            .next()
            .unwrap_or("")
            .split(['_', '-'])
            .next()
            .unwrap_or("");
        match base.to_ascii_lowercase().as_str() {
            "ja" | "jp" | "japanese" => Some(Lang::Ja),
            "en" | "english" | "c" | "posix" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language from the locale environment: the first of `LC_ALL`,
    /// `LC_MESSAGES`, `LANG` that is set and not empty decides (as POSIX
    /// does); a locale other than Japanese means English.
    pub fn from_env() -> Lang {
        Lang::from_vars(|k| std::env::var(k).ok())
    }

    /// [`Lang::from_env`] over any variable lookup.
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| get(k))
            .find(|v| !v.is_empty())
            .and_then(|v| Lang::from_locale(&v))
            .unwrap_or_default()
    }

    /// Picks the text of this language.
    pub fn pick<'a>(self, en: &'a str, ja: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Ja => ja,
        }
    }
}

/// A translated text: `tr!(lang, "English {x}", "日本語 {x}", args...)`
/// formats the string of `lang` (a [`Lang`]) with the same arguments.
#[macro_export]
macro_rules! tr {
    ($lang:expr, $en:literal, $ja:literal $(, $arg:expr)* $(,)?) => {
        match $lang {
            $crate::lang::Lang::En => format!($en $(, $arg)*),
            $crate::lang::Lang::Ja => format!($ja $(, $arg)*),
        }
    };
}

/// Whether a character is Japanese script (kana, kanji, full-width forms).
pub fn is_japanese(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}'
        | '\u{f900}'..='\u{faff}' | '\u{ff00}'..='\u{ffef}')
}

/// Joins the lines of a paragraph: with a space between Latin words, with
/// nothing where either side is Japanese.
pub fn join_lines(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let glue = match (out.chars().last(), line.chars().next()) {
            (None, _) => false,
            (Some(a), Some(b)) => !(is_japanese(a) || is_japanese(b)),
            _ => true,
        };
        if glue {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_names() {
        assert_eq!(Lang::from_locale("ja_JP.UTF-8"), Some(Lang::Ja));
        assert_eq!(Lang::from_locale("ja"), Some(Lang::Ja));
        assert_eq!(Lang::from_locale("C.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::from_locale("en_GB"), Some(Lang::En));
        assert_eq!(Lang::from_locale("de_DE.UTF-8"), None);
    }

    #[test]
    fn posix_precedence() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(Lang::from_vars(env(&[("LANG", "ja_JP.UTF-8")])), Lang::Ja);
        assert_eq!(
            Lang::from_vars(env(&[("LC_ALL", "C"), ("LANG", "ja_JP.UTF-8")])),
            Lang::En
        );
        assert_eq!(
            Lang::from_vars(env(&[("LC_ALL", ""), ("LC_MESSAGES", "ja_JP")])),
            Lang::Ja
        );
        assert_eq!(Lang::from_vars(env(&[("LANG", "fr_FR")])), Lang::En);
        assert_eq!(Lang::from_vars(env(&[])), Lang::En);
    }

    #[test]
    fn joining() {
        assert_eq!(join_lines("a b\nc"), "a b c");
        assert_eq!(join_lines("鍵が\nない"), "鍵がない");
        assert_eq!(join_lines("鍵 `-i`\nを使う"), "鍵 `-i`を使う");
    }

    #[test]
    fn formats_per_language() {
        let n = 3;
        assert_eq!(tr!(Lang::En, "{n} keys", "鍵 {n} 個"), "3 keys");
        assert_eq!(tr!(Lang::Ja, "{} keys", "鍵 {} 個", n), "鍵 3 個");
    }
}
