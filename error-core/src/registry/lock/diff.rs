//! The differences between the program's codes and the lock.

use std::collections::BTreeMap;
use std::fmt;

use super::Record;

/// Every difference between the program and the lock, sorted by code.
pub(super) fn diff(
    program: &BTreeMap<&str, Record>,
    locked: &BTreeMap<String, Record>,
    crates: &[String],
) -> Vec<LockChange> {
    let mut changes = Vec::new();
    for (code, now) in program {
        let code = (*code).to_owned();
        let Some(was) = locked.get(&code) else {
            changes.push(LockChange::Added { code, status: now.status, owner: now.owner.clone() });
            continue;
        };
        if was.retired {
            changes.push(LockChange::RetiredReused {
                code,
                retired: was.owner.clone(),
                now: now.owner.clone(),
            });
            continue;
        }
        if was.status != now.status {
            changes.push(LockChange::StatusChanged {
                code: code.clone(),
                owner: now.owner.clone(),
                locked: was.status,
                now: now.status,
            });
        }
        if was.owner != now.owner {
            changes.push(LockChange::OwnerChanged {
                code: code.clone(),
                locked: was.owner.clone(),
                now: now.owner.clone(),
            });
        }
        if was.crate_name != now.crate_name {
            changes.push(LockChange::CrateChanged {
                code,
                owner: now.owner.clone(),
                locked: was.crate_name.clone(),
                now: now.crate_name.clone(),
            });
        }
    }
    for (code, was) in locked {
        if !was.retired && !program.contains_key(code.as_str()) {
            changes.push(LockChange::Removed {
                code: code.clone(),
                owner: was.owner.clone(),
                crate_name: was.crate_name.clone(),
                crate_linked: crates.contains(&was.crate_name),
            });
        }
    }
    changes.sort_by(|a, b| a.code().cmp(b.code()));
    changes
}

/// A difference between the program's codes and the lock.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LockChange {
    /// A code the lock does not have yet. Accepted by blessing.
    Added {
        /// The code.
        code: String,
        /// Its status.
        status: u16,
        /// `Type::Variant` that declares it.
        owner: String,
    },
    /// A locked code whose status changed. Accepted by blessing.
    StatusChanged {
        /// The code.
        code: String,
        /// `Type::Variant` that declares it.
        owner: String,
        /// The status in the lock.
        locked: u16,
        /// The status in the program.
        now: u16,
    },
    /// A locked code now declared by another type or variant. Accepted by
    /// blessing.
    OwnerChanged {
        /// The code.
        code: String,
        /// `Type::Variant` in the lock.
        locked: String,
        /// `Type::Variant` in the program.
        now: String,
    },
    /// A locked code whose type moved to another crate. Accepted by blessing.
    CrateChanged {
        /// The code.
        code: String,
        /// `Type::Variant` that declares it.
        owner: String,
        /// The crate in the lock.
        locked: String,
        /// The crate in the program.
        now: String,
    },
    /// A locked code the program no longer declares. Blessing keeps it as
    /// retired, unless no entry of its crate is seen at all: then the crate
    /// is most likely not linked into this binary (see [the
    /// registry](crate::registry)), and blessing refuses.
    Removed {
        /// The code.
        code: String,
        /// `Type::Variant` in the lock.
        owner: String,
        /// The crate in the lock.
        crate_name: String,
        /// Whether any entry of that crate was seen.
        crate_linked: bool,
    },
    /// A retired code declared again. Never accepted by blessing: a code
    /// that clients may have seen must not come back with another meaning.
    RetiredReused {
        /// The code.
        code: String,
        /// `Type::Variant` that declared it before it was retired.
        retired: String,
        /// `Type::Variant` that declares it now.
        now: String,
    },
}

impl LockChange {
    /// The code this change is about.
    #[must_use]
    pub fn code(&self) -> &str {
        match self {
            Self::Added { code, .. }
            | Self::StatusChanged { code, .. }
            | Self::OwnerChanged { code, .. }
            | Self::CrateChanged { code, .. }
            | Self::Removed { code, .. }
            | Self::RetiredReused { code, .. } => code,
        }
    }

    /// Whether `APIERROR_BLESS=1` accepts this change.
    #[must_use]
    pub fn is_blessable(&self) -> bool {
        match self {
            Self::RetiredReused { .. } => false,
            Self::Removed { crate_linked, .. } => *crate_linked,
            _ => true,
        }
    }
}

impl fmt::Display for LockChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Added { code, status, owner } => {
                write!(f, "code `{code}` ({owner}, {status}) is new: it is not in the lock yet")
            }
            Self::StatusChanged { code, owner, locked, now } => write!(
                f,
                "code `{code}` ({owner}) changed status from {locked} to {now}: clients rely on a shipped \
                 code's status"
            ),
            Self::OwnerChanged { code, locked, now } => write!(
                f,
                "code `{code}` moved from {locked} to {now}: a shipped code keeps its meaning; give {now} a new \
                 code unless it is the same error renamed"
            ),
            Self::CrateChanged { code, owner, locked, now } => {
                write!(f, "code `{code}` ({owner}) moved from crate `{locked}` to crate `{now}`")
            }
            Self::Removed { code, owner, crate_name: _, crate_linked: true } => write!(
                f,
                "code `{code}` ({owner}) is no longer declared: blessing keeps it in the lock as retired, so \
                 that it is never reused"
            ),
            Self::Removed { code, owner, crate_name, crate_linked: false } => write!(
                f,
                "code `{code}` ({owner}) is not declared by any crate linked into this binary (it belongs to \
                 crate `{crate_name}`)"
            ),
            Self::RetiredReused { code, retired, now } => write!(
                f,
                "code `{code}` was retired (it was {retired}) and is declared again by {now}: a retired code \
                 is never reused; give {now} a new code"
            ),
        }
    }
}
