//! The AWS Regions a connection or a bucket is usually in: what the
//! connection form suggests while the user types. Not a gate — a Region
//! launched after this list was written is still accepted as typed.

/// The Regions with S3 and Lambda, commercial first (by partition and
/// name), then AWS GovCloud (US) and China, as AWS names them.
pub const KNOWN_REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-gov-east-1",
    "us-gov-west-1",
    "cn-north-1",
    "cn-northwest-1",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_region_is_listed_once_in_aws_notation() {
        let mut seen = std::collections::HashSet::new();
        for r in KNOWN_REGIONS {
            assert!(seen.insert(r), "{r} twice");
            let parts: Vec<&str> = r.split('-').collect();
            assert!((3..=4).contains(&parts.len()), "{r}");
            assert!(parts.last().is_some_and(|n| n.parse::<u8>().is_ok()), "{r}");
            assert!(
                r.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{r}"
            );
        }
        // The regions the generated accounts use are among them.
        for r in crate::samples::account_shape::REGIONS {
            assert!(KNOWN_REGIONS.contains(&r), "{r}");
        }
    }
}
