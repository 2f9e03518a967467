//! S3 event types for Lambda destinations (docs/rules.md §5) and the
//! "shared event type" relation that decides overlaps (§1).

/// One event family and the members it has. A family with no members is a
/// single event (`s3:LifecycleTransition`); a family with members may or may
/// not accept the `*` wildcard.
struct Family {
    name: &'static str,
    members: &'static [&'static str],
    wildcard: bool,
}

const FAMILIES: &[Family] = &[
    Family {
        name: "ReducedRedundancyLostObject",
        members: &[],
        wildcard: false,
    },
    Family {
        name: "ObjectCreated",
        members: &["Put", "Post", "Copy", "CompleteMultipartUpload"],
        wildcard: true,
    },
    Family {
        name: "ObjectRemoved",
        members: &["Delete", "DeleteMarkerCreated"],
        wildcard: true,
    },
    Family {
        name: "ObjectRestore",
        members: &["Post", "Completed", "Delete"],
        wildcard: true,
    },
    Family {
        name: "Replication",
        members: &[
            "OperationFailedReplication",
            "OperationNotTracked",
            "OperationMissedThreshold",
            "OperationReplicatedAfterThreshold",
        ],
        wildcard: true,
    },
    Family {
        name: "LifecycleTransition",
        members: &[],
        wildcard: false,
    },
    Family {
        name: "IntelligentTiering",
        members: &[],
        wildcard: false,
    },
    Family {
        name: "ObjectAcl",
        members: &["Put"],
        wildcard: false,
    },
    Family {
        name: "LifecycleExpiration",
        members: &["Delete", "DeleteMarkerCreated"],
        wildcard: true,
    },
    Family {
        name: "ObjectTagging",
        members: &["Put", "Delete"],
        wildcard: true,
    },
];

/// A valid event type as a configuration names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventType {
    family: &'static str,
    /// `None` for a single-event family or for the family wildcard.
    member: Option<&'static str>,
    wildcard: bool,
}

/// Why a string is not a configurable event type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventTypeError {
    /// The `s3:` prefix is missing (`ObjectCreated:*`).
    MissingPrefix,
    /// `s3:TestEvent` is sent by S3 itself and cannot be configured.
    TestEvent,
    /// The family is not one S3 knows.
    UnknownFamily,
    /// The family exists but has no such member (or no wildcard).
    UnknownMember {
        /// The valid spellings in that family.
        valid: Vec<String>,
    },
}

impl EventType {
    /// Parses `s3:ObjectCreated:Put`, `s3:ObjectCreated:*` or
    /// `s3:LifecycleTransition`. Case-sensitive, as S3 is.
    ///
    /// # Errors
    /// [`EventTypeError`] saying what is wrong with the spelling.
    pub fn parse(text: &str) -> Result<Self, EventTypeError> {
        let rest = text
            .strip_prefix("s3:")
            .ok_or(EventTypeError::MissingPrefix)?;
        if rest == "TestEvent" {
            return Err(EventTypeError::TestEvent);
        }
        let (family_name, member) = match rest.split_once(':') {
            Some((f, m)) => (f, Some(m)),
            None => (rest, None),
        };
        let family = FAMILIES
            .iter()
            .find(|f| f.name == family_name)
            .ok_or(EventTypeError::UnknownFamily)?;
        let unknown = || EventTypeError::UnknownMember {
            valid: spellings(family),
        };
        match member {
            None if family.members.is_empty() => Ok(Self {
                family: family.name,
                member: None,
                wildcard: false,
            }),
            None => Err(unknown()),
            Some("*") if family.wildcard => Ok(Self {
                family: family.name,
                member: None,
                wildcard: true,
            }),
            Some(m) => family
                .members
                .iter()
                .find(|known| **known == m)
                .map(|known| Self {
                    family: family.name,
                    member: Some(known),
                    wildcard: false,
                })
                .ok_or_else(unknown),
        }
    }

    /// Whether two configured event types share an event: the same family,
    /// and the same member or a wildcard on either side (§1).
    pub fn shares_with(self, other: EventType) -> bool {
        self.family == other.family
            && (self.wildcard || other.wildcard || self.member == other.member)
    }

    /// Whether this configured type fires for a concrete event.
    pub fn covers(self, event: EventType) -> bool {
        self.shares_with(event) && (self.wildcard || !event.wildcard)
    }

    /// The family name (`ObjectCreated`).
    pub fn family(self) -> &'static str {
        self.family
    }

    /// True for `s3:Family:*`.
    pub fn is_wildcard(self) -> bool {
        self.wildcard
    }

    /// The short form the UI shows on chips (`Created:*`, `Removed:Delete`).
    pub fn chip(self) -> String {
        let family = self.family.strip_prefix("Object").unwrap_or(self.family);
        match (self.wildcard, self.member) {
            (true, _) => format!("{family}:*"),
            (false, Some(m)) => format!("{family}:{m}"),
            (false, None) => family.to_string(),
        }
    }

    /// The event name as the function receives it: without `s3:` (§10).
    pub fn event_name(self) -> String {
        match (self.wildcard, self.member) {
            (true, _) => format!("{}:*", self.family),
            (false, Some(m)) => format!("{}:{m}", self.family),
            (false, None) => self.family.to_string(),
        }
    }
}

impl std::fmt::Display for EventType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "s3:{}", self.event_name())
    }
}

fn spellings(family: &Family) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if family.members.is_empty() {
        out.push(format!("s3:{}", family.name));
    }
    if family.wildcard {
        out.push(format!("s3:{}:*", family.name));
    }
    out.extend(
        family
            .members
            .iter()
            .map(|m| format!("s3:{}:{m}", family.name)),
    );
    out
}

/// Every concrete (non-wildcard) event S3 can send to a Lambda function.
pub fn concrete_events() -> Vec<EventType> {
    let mut out = Vec::new();
    for family in FAMILIES {
        if family.members.is_empty() {
            out.push(EventType {
                family: family.name,
                member: None,
                wildcard: false,
            });
        }
        for m in family.members {
            out.push(EventType {
                family: family.name,
                member: Some(m),
                wildcard: false,
            });
        }
    }
    out
}

/// One family of events as a picker groups them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFamily {
    /// The family name (`ObjectCreated`).
    pub name: &'static str,
    /// `s3:ObjectCreated:*` when the family accepts a wildcard; it covers
    /// every member.
    pub wildcard: Option<String>,
    /// The family's concrete events (`s3:ObjectCreated:Put`, ...); for a
    /// single-event family, that event alone.
    pub members: Vec<String>,
}

/// Every family of configurable events, in S3's documentation order.
pub fn families() -> Vec<EventFamily> {
    FAMILIES
        .iter()
        .map(|f| EventFamily {
            name: f.name,
            wildcard: f.wildcard.then(|| format!("s3:{}:*", f.name)),
            members: if f.members.is_empty() {
                vec![format!("s3:{}", f.name)]
            } else {
                f.members
                    .iter()
                    .map(|m| format!("s3:{}:{m}", f.name))
                    .collect()
            },
        })
        .collect()
}

/// Every valid configured spelling, wildcards included.
pub fn all_spellings() -> Vec<String> {
    FAMILIES.iter().flat_map(spellings).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_family_spelling_parses_and_wildcards_cover_their_members() {
        for family in families() {
            for member in &family.members {
                assert!(!ev(member).is_wildcard(), "{member}");
            }
            if let Some(w) = &family.wildcard {
                let w = ev(w);
                assert!(family.members.iter().all(|m| w.covers(ev(m))));
            }
        }
        let created = families()
            .into_iter()
            .find(|f| f.name == "ObjectCreated")
            .expect("ObjectCreated");
        assert_eq!(created.wildcard.as_deref(), Some("s3:ObjectCreated:*"));
        assert_eq!(created.members.len(), 4);
    }

    fn ev(s: &str) -> EventType {
        EventType::parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
    }

    #[test]
    fn every_listed_spelling_parses_and_prints_back() {
        // docs/rules.md §5 lists 27 configurable spellings.
        let all = all_spellings();
        assert_eq!(all.len(), 27);
        for s in all {
            assert_eq!(ev(&s).to_string(), s);
        }
    }

    #[test]
    fn bad_spellings_say_why() {
        assert_eq!(
            EventType::parse("ObjectCreated:*"),
            Err(EventTypeError::MissingPrefix)
        );
        assert_eq!(
            EventType::parse("s3:TestEvent"),
            Err(EventTypeError::TestEvent)
        );
        assert_eq!(
            EventType::parse("s3:ObjectMade:*"),
            Err(EventTypeError::UnknownFamily)
        );
        assert!(matches!(
            EventType::parse("s3:ObjectCreated:Upload"),
            Err(EventTypeError::UnknownMember { .. })
        ));
        // §5: ObjectAcl has no wildcard; single events take no member.
        assert!(EventType::parse("s3:ObjectAcl:*").is_err());
        assert!(EventType::parse("s3:LifecycleTransition:*").is_err());
        // Case-sensitive.
        assert!(EventType::parse("s3:objectcreated:put").is_err());
    }

    #[test]
    fn a_wildcard_shares_a_type_with_its_members_only() {
        // docs/rules.md §1.
        assert!(ev("s3:ObjectCreated:*").shares_with(ev("s3:ObjectCreated:Put")));
        assert!(ev("s3:ObjectCreated:Put").shares_with(ev("s3:ObjectCreated:*")));
        assert!(!ev("s3:ObjectCreated:Put").shares_with(ev("s3:ObjectCreated:Copy")));
        assert!(!ev("s3:ObjectCreated:*").shares_with(ev("s3:ObjectRemoved:*")));
        assert!(!ev("s3:ObjectRestore:Delete").shares_with(ev("s3:ObjectRemoved:Delete")));
        assert!(ev("s3:LifecycleTransition").shares_with(ev("s3:LifecycleTransition")));
    }

    #[test]
    fn covers_fires_for_concrete_events_in_the_family() {
        assert!(ev("s3:ObjectCreated:*").covers(ev("s3:ObjectCreated:CompleteMultipartUpload")));
        assert!(!ev("s3:ObjectCreated:Put").covers(ev("s3:ObjectCreated:Post")));
        assert_eq!(concrete_events().len(), 21);
    }

    #[test]
    fn names_for_events_and_chips() {
        assert_eq!(ev("s3:ObjectCreated:Put").event_name(), "ObjectCreated:Put");
        assert_eq!(ev("s3:ObjectCreated:*").chip(), "Created:*");
        assert_eq!(ev("s3:ObjectRemoved:Delete").chip(), "Removed:Delete");
        assert_eq!(ev("s3:IntelligentTiering").chip(), "IntelligentTiering");
    }
}
