//! IAM's wildcard matching (`*` any run of characters, `?` exactly one),
//! shared by the policy evaluator and the compact policies' summaries.

/// IAM wildcard match: `*` matches any run of characters, `?` exactly one.
/// Case-sensitive, as resources are.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    wildcard_match_with(pattern, text, false)
}

/// IAM action match: wildcards, ignoring ASCII case.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    wildcard_match_with(pattern, action, true)
}

/// [`wildcard_match`], optionally ignoring ASCII case (actions). Works on
/// bytes, and on characters when either side is not ASCII (so `?` is one
/// character), without allocating in the common case.
pub(crate) fn wildcard_match_with(pattern: &str, text: &str, ignore_case: bool) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        glob(pattern.as_bytes(), text.as_bytes(), ignore_case)
    } else {
        let p: Vec<char> = pattern.chars().collect();
        let t: Vec<char> = text.chars().collect();
        glob(&p, &t, ignore_case)
    }
}

/// Greedy glob with backtracking to the last `*`: linear in practice.
fn glob<C: GlobChar>(p: &[C], t: &[C], ignore_case: bool) -> bool {
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && !p[pi].is_star() && (p[pi].is_any() || p[pi].same(t[ti], ignore_case)) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi].is_star() {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| c.is_star())
}

trait GlobChar: Copy {
    fn is_star(self) -> bool;
    fn is_any(self) -> bool;
    fn same(self, other: Self, ignore_case: bool) -> bool;
}

impl GlobChar for u8 {
    fn is_star(self) -> bool {
        self == b'*'
    }
    fn is_any(self) -> bool {
        self == b'?'
    }
    fn same(self, other: Self, ignore_case: bool) -> bool {
        if ignore_case {
            self.eq_ignore_ascii_case(&other)
        } else {
            self == other
        }
    }
}

impl GlobChar for char {
    fn is_star(self) -> bool {
        self == '*'
    }
    fn is_any(self) -> bool {
        self == '?'
    }
    fn same(self, other: Self, ignore_case: bool) -> bool {
        if ignore_case {
            self.to_lowercase().eq(other.to_lowercase())
        } else {
            self == other
        }
    }
}
