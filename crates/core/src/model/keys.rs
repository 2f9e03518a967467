//! Object keys and key filters: matching, overlap (docs/rules.md §1) and the
//! URL encoding S3 applies to keys in events (§5, §10).

/// A key filter: optional prefix and suffix. Absent and empty both mean
/// "every key". Matching is case-sensitive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KeyFilter<'a> {
    /// Required start of the key.
    pub prefix: &'a str,
    /// Required end of the key.
    pub suffix: &'a str,
}

impl<'a> KeyFilter<'a> {
    /// A filter from optional rule values.
    pub fn new(prefix: Option<&'a str>, suffix: Option<&'a str>) -> Self {
        Self {
            prefix: prefix.unwrap_or(""),
            suffix: suffix.unwrap_or(""),
        }
    }

    /// Whether S3 would deliver an event for `key` through this filter.
    ///
    /// S3 checks the prefix and the suffix independently, so with prefix
    /// `ab` and suffix `bc` the key `abc` matches (they may share bytes).
    pub fn matches(&self, key: &str) -> bool {
        key.starts_with(self.prefix) && key.ends_with(self.suffix)
    }

    /// Whether two filters overlap as S3 judges it: the prefixes overlap
    /// (one is a prefix of the other) and the suffixes overlap (one is a
    /// suffix of the other). Equivalent to "some key matches both".
    pub fn overlaps(&self, other: &KeyFilter<'_>) -> bool {
        let prefixes =
            self.prefix.starts_with(other.prefix) || other.prefix.starts_with(self.prefix);
        let suffixes = self.suffix.ends_with(other.suffix) || other.suffix.ends_with(self.suffix);
        prefixes && suffixes
    }

    /// A key that both filters match, when they overlap: the longer prefix,
    /// `example`, then the longer suffix (`uploads/example.jpg`). Used as
    /// the proof in messages.
    pub fn witness(&self, other: &KeyFilter<'_>) -> Option<String> {
        if !self.overlaps(other) {
            return None;
        }
        let prefix = longer(self.prefix, other.prefix);
        let suffix = longer(self.suffix, other.suffix);
        Some(format!("{prefix}example{suffix}"))
    }

    /// A key this filter matches (`uploads/example.jpg`).
    pub fn example_key(&self) -> String {
        format!("{}example{}", self.prefix, self.suffix)
    }

    /// `uploads/…​.jpg`, `…​.jpg`, `uploads/…` or `every key`.
    pub fn describe(&self) -> String {
        match (self.prefix.is_empty(), self.suffix.is_empty()) {
            (true, true) => "every key".to_string(),
            _ => format!("{}…{}", self.prefix, self.suffix),
        }
    }
}

fn longer<'s>(a: &'s str, b: &'s str) -> &'s str {
    if a.len() >= b.len() {
        a
    } else {
        b
    }
}

/// Encodes a key the way S3 writes `s3.object.key` in an event: a space
/// becomes `+`; ASCII letters, digits and `-_.*/` stay; every other byte
/// (including `+` itself and non-ASCII UTF-8) becomes `%XX`.
pub fn encode_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for byte in key.bytes() {
        match byte {
            b' ' => out.push('+'),
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' | b'/' => {
                out.push(char::from(byte));
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn f<'a>(prefix: &'a str, suffix: &'a str) -> KeyFilter<'a> {
        KeyFilter { prefix, suffix }
    }

    #[test]
    fn aws_rules_examples_of_overlap() {
        // docs/rules.md §1: prefix images/ (no suffix) and suffix .jpg (no prefix) conflict…
        assert!(f("images/", "").overlaps(&f("", ".jpg")));
        // …while images/ + .jpg and images/ + .png do not.
        assert!(!f("images/", ".jpg").overlaps(&f("images/", ".png")));
        // Empty overlaps everything; matching is case-sensitive.
        assert!(f("", "").overlaps(&f("a/", ".x")));
        assert!(!f("Images/", "").overlaps(&f("images/", "")));
    }

    #[test]
    fn encodes_keys_as_s3_events_do() {
        // docs/rules.md §10: `red flower.jpg` → `red+flower.jpg`.
        assert_eq!(encode_key("red flower.jpg"), "red+flower.jpg");
        assert_eq!(encode_key("uploads/a+b=c.jpg"), "uploads/a%2Bb%3Dc.jpg");
        assert_eq!(encode_key("café.png"), "caf%C3%A9.png");
    }

    /// Brute force: every key over the alphabet up to `max_len`.
    fn some_key_matches_both(a: &KeyFilter<'_>, b: &KeyFilter<'_>, max_len: usize) -> bool {
        let alphabet = ['a', 'b', '/'];
        let mut keys = vec![String::new()];
        let mut frontier = vec![String::new()];
        for _ in 0..max_len {
            let mut next = Vec::new();
            for k in &frontier {
                for c in alphabet {
                    next.push(format!("{k}{c}"));
                }
            }
            keys.extend(next.iter().cloned());
            frontier = next;
        }
        keys.iter().any(|k| a.matches(k) && b.matches(k))
    }

    proptest! {
        // The overlap rule (§1) equals "some key matches both filters",
        // proven against brute force over a small alphabet.
        #[test]
        fn overlap_agrees_with_brute_force(
            p1 in "[ab/]{0,3}", s1 in "[ab/]{0,3}",
            p2 in "[ab/]{0,3}", s2 in "[ab/]{0,3}",
        ) {
            let a = f(&p1, &s1);
            let b = f(&p2, &s2);
            // Longest prefix + longest suffix is at most 6 characters.
            prop_assert_eq!(a.overlaps(&b), some_key_matches_both(&a, &b, 6));
            if let Some(key) = a.witness(&b) {
                prop_assert!(a.matches(&key) && b.matches(&key));
            }
        }
    }
}
