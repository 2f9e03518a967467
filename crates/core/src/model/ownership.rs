//! Who owns a bucket's notifications, or a function, as the account's tags
//! say (docs/rules.md §12). Many buckets belong to a CloudFormation stack
//! (CDK and Serverless deploy through one too) or to Terraform; a change
//! Bucketwire writes there is undone by the owner's next deploy, so the plan
//! warns and the card says who the owner is.

/// The tag CloudFormation puts on every resource a stack creates.
pub const STACK_TAG: &str = "aws:cloudformation:stack-name";

/// Tag keys (compared without case, `-` and `_`) that teams use to say which
/// tool manages a resource.
const MANAGED_BY: &[&str] = &[
    "managedby",
    "managed",
    "provisioner",
    "provisionedby",
    "iac",
    "createdby",
];

/// The owner the tags name (`CloudFormation stack photos-prod`,
/// `terraform (tag ManagedBy)`), or `None` when they name none. The stack
/// tag wins over a `ManagedBy`-style tag.
pub fn owner_from_tags<'a>(tags: impl IntoIterator<Item = (&'a str, &'a str)>) -> Option<String> {
    let mut managed_by = None;
    for (key, value) in tags {
        if key == STACK_TAG && !value.is_empty() {
            return Some(format!("CloudFormation stack {value}"));
        }
        let plain: String = key
            .chars()
            .filter(|c| *c != '-' && *c != '_')
            .flat_map(char::to_lowercase)
            .collect();
        if managed_by.is_none() && MANAGED_BY.contains(&plain.as_str()) && !value.is_empty() {
            managed_by = Some(format!("{value} (tag {key})"));
        }
    }
    managed_by
}

/// The owner of a function: its tags', or CDK's when the function is CDK's
/// own `BucketNotificationsHandler` (the custom resource that writes a
/// stack's bucket notifications).
pub fn function_owner<'a>(
    name: &str,
    tags: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Option<String> {
    let owner = owner_from_tags(tags);
    if name.contains("BucketNotificationsHandler") {
        return Some(match owner {
            Some(stack) => format!("CDK's BucketNotificationsHandler ({stack})"),
            None => "CDK's BucketNotificationsHandler".into(),
        });
    }
    owner
}

/// The plan's warning for a write to something `owner` manages.
pub fn revert_warning(owner: &str) -> String {
    format!(
        "managed by {owner}: its next deploy will revert this; change it there, or export for it"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_owner_comes_from_the_stack_tag_or_a_managed_by_tag() {
        let check = |tags: &[(&str, &str)], want: Option<&str>| {
            assert_eq!(
                owner_from_tags(tags.iter().copied()).as_deref(),
                want,
                "{tags:?}"
            );
        };
        check(
            &[(STACK_TAG, "photos-prod"), ("ManagedBy", "terraform")],
            Some("CloudFormation stack photos-prod"),
        );
        check(
            &[("ManagedBy", "terraform")],
            Some("terraform (tag ManagedBy)"),
        );
        check(&[("managed-by", "pulumi")], Some("pulumi (tag managed-by)"));
        check(
            &[("Managed_By", "terraform")],
            Some("terraform (tag Managed_By)"),
        );
        check(&[("team", "data"), ("ManagedBy", "")], None);
        check(&[], None);
        assert_eq!(
            function_owner(
                "photos-BucketNotificationsHandler050a-AbC",
                [(STACK_TAG, "photos")]
            )
            .as_deref(),
            Some("CDK's BucketNotificationsHandler (CloudFormation stack photos)")
        );
    }
}
