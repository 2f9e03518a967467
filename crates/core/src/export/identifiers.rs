//! Unique identifiers for generated resources (Terraform names,
//! CloudFormation logical ids) derived from user-chosen names.

use rustc_hash::FxHashSet;

/// Hands out identifiers that are valid and unique within one export.
pub struct Identifiers {
    used: FxHashSet<String>,
    pascal: bool,
}

impl Identifiers {
    /// `snake_case` identifiers (Terraform): letters, digits, `_`.
    pub fn snake() -> Self {
        Self {
            used: FxHashSet::default(),
            pascal: false,
        }
    }

    /// `PascalCase` identifiers (CloudFormation logical ids): letters and digits.
    pub fn pascal() -> Self {
        Self {
            used: FxHashSet::default(),
            pascal: true,
        }
    }

    /// A valid identifier for `name`, made unique with a numeric suffix.
    pub fn make(&mut self, name: &str) -> String {
        let mut base = String::with_capacity(name.len() + 2);
        for word in name
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            if self.pascal {
                let mut chars = word.chars();
                if let Some(first) = chars.next() {
                    base.push(first.to_ascii_uppercase());
                    base.extend(chars.map(|c| c.to_ascii_lowercase()));
                }
            } else {
                if !base.is_empty() {
                    base.push('_');
                }
                base.extend(word.chars().map(|c| c.to_ascii_lowercase()));
            }
        }
        if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
            base.insert_str(0, if self.pascal { "R" } else { "r_" });
        }
        if !self.used.contains(&base) {
            self.used.insert(base.clone());
            return base;
        }
        let mut n = 2;
        loop {
            let candidate = if self.pascal {
                format!("{base}{n}")
            } else {
                format!("{base}_{n}")
            };
            if !self.used.contains(&candidate) {
                self.used.insert(candidate.clone());
                return candidate;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_valid_and_unique() {
        let mut s = Identifiers::snake();
        assert_eq!(s.make("acme.photos-2"), "acme_photos_2");
        assert_eq!(s.make("acme-photos.2"), "acme_photos_2_2");
        assert_eq!(s.make("9lives"), "r_9lives");
        let mut p = Identifiers::pascal();
        assert_eq!(p.make("acme-photos"), "AcmePhotos");
        assert_eq!(p.make("acme.photos"), "AcmePhotos2");
        assert_eq!(p.make("***"), "R");
    }
}
