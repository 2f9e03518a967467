//! Unique identifiers for generated resources (Terraform names,
//! CloudFormation logical ids) derived from user-chosen names.

use std::collections::HashSet;

/// Hands out identifiers that are valid and unique within one export.
pub struct Identifiers {
    used: HashSet<String>,
    pascal: bool,
}

impl Identifiers {
    /// `snake_case` identifiers (Terraform): letters, digits, `_`.
    pub fn snake() -> Self {
        Self {
            used: HashSet::new(),
            pascal: false,
        }
    }

    /// `PascalCase` identifiers (CloudFormation logical ids): letters and digits.
    pub fn pascal() -> Self {
        Self {
            used: HashSet::new(),
            pascal: true,
        }
    }

    /// A valid identifier for `name`, made unique with a numeric suffix.
    pub fn make(&mut self, name: &str) -> String {
        let words: Vec<String> = name
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect();
        let mut base = if self.pascal {
            words
                .iter()
                .map(|w| {
                    let mut c = w.chars();
                    c.next().map_or(String::new(), |f| {
                        f.to_ascii_uppercase().to_string() + c.as_str()
                    })
                })
                .collect::<String>()
        } else {
            words.join("_")
        };
        if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
            base = if self.pascal {
                format!("R{base}")
            } else {
                format!("r_{base}")
            };
        }
        let mut candidate = base.clone();
        let mut n = 2;
        while !self.used.insert(candidate.clone()) {
            candidate = if self.pascal {
                format!("{base}{n}")
            } else {
                format!("{base}_{n}")
            };
            n += 1;
        }
        candidate
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
