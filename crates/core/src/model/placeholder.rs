//! A name only a deploy will know: a bucket CloudFormation names itself, a
//! parameter without a default, an imported value. Written `${LogicalId}`
//! (or `${LogicalId.Attribute}`), the way a template's own `Fn::Sub` says
//! it, so a finding reads like the template; the checks treat it as a name
//! they cannot know, never as a malformed one.

/// The placeholder for `name` (a logical id, `Id.Attribute`, a parameter).
pub fn placeholder(name: &str) -> String {
    format!("${{{name}}}")
}

/// Whether `text` is exactly one placeholder.
pub fn is_placeholder(text: &str) -> bool {
    text.strip_prefix("${")
        .and_then(|rest| rest.strip_suffix('}'))
        .is_some_and(|inner| {
            !inner.is_empty()
                && inner
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || b == b'-')
        })
}

/// Whether `text` holds a placeholder anywhere (`arn:aws:s3:::${Bucket}`).
pub fn has_placeholder(text: &str) -> bool {
    text.match_indices("${").any(|(i, _)| {
        text[i..]
            .find('}')
            .is_some_and(|end| is_placeholder(&text[i..=i + end]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_recognised_whole_and_inside() {
        assert_eq!(placeholder("Uploads"), "${Uploads}");
        assert!(is_placeholder("${Uploads}"));
        assert!(is_placeholder("${Uploads.Arn}"));
        assert!(!is_placeholder("uploads"));
        assert!(!is_placeholder("${}"));
        assert!(!is_placeholder("${a b}"));
        assert!(has_placeholder("arn:aws:s3:::${Uploads}/*"));
        assert!(!has_placeholder("arn:aws:s3:::uploads/*"));
    }
}
