//! The `#[api(...)]` keys: one table says, for every key, where it is
//! valid, what value it takes there, how it is written (for the errors about
//! its value) and where it goes (for a key written in the wrong place). The
//! parser (`attr`), "did you mean", the misplaced-key hints and the examples
//! all read it; nothing about a key is written anywhere else but its slot in
//! `attr::Attrs` and the setter the table names.

use crate::attr::{self, Attrs, Value};
use crate::ctxt::Ctxt;

pub const API: &str = "api";

/// Where a key is written; decides which keys are valid.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Place {
    Enum,
    Variant,
    Struct,
    Field,
    /// Inside `db(...)`.
    Db,
    /// Inside `upstream(...)`.
    Upstream,
}

impl Place {
    /// "on a variant", "in `db(...)`", for messages.
    pub fn name(self) -> &'static str {
        match self {
            Place::Enum => "an enum",
            Place::Variant => "a variant",
            Place::Struct => "a struct",
            Place::Field => "a field",
            Place::Db => "`db(...)`",
            Place::Upstream => "`upstream(...)`",
        }
    }

    /// Whether the place is a key's list (`db(...)`), not an attribute.
    pub fn is_list(self) -> bool {
        matches!(self, Place::Db | Place::Upstream)
    }

    /// The keys valid here, in the table's order.
    pub fn keys(self) -> impl Iterator<Item = &'static str> {
        KEYS.iter().filter(move |key| key.at(self).is_some()).map(|key| key.name)
    }
}

/// The kind of value a key takes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Takes {
    /// No value: `transparent`.
    Flag,
    /// A string literal: `code = "1010"`.
    Str,
    /// An integer literal in 400..=599.
    Status,
    /// An integer literal in 1..=[`MAX_RETRY_AFTER`]: `retry_after = 30`.
    Seconds,
    /// A list of the keys valid in this place: `db(constraint = "…")`.
    List(Place),
}

/// What a key is where it is valid.
pub struct Use {
    pub places: &'static [Place],
    pub takes: Takes,
    /// How it is written there.
    pub example: &'static str,
    /// Stores a value of the right kind, after the key's own rules (a code
    /// without whitespace, a known log level, …).
    pub set: fn(&mut Attrs, &Ctxt, &syn::Path, Value),
}

/// One key of `#[api(...)]`.
pub struct Key {
    pub name: &'static str,
    /// Where it goes, for the error on the key written elsewhere.
    pub home: &'static str,
    pub uses: &'static [Use],
}

impl Key {
    /// The key's use in `place`, if it is valid there.
    pub fn at(&self, place: Place) -> Option<&'static Use> {
        self.uses.iter().find(|used| used.places.contains(&place))
    }
}

const CONTAINER: &[Place] = &[Place::Enum, Place::Struct];
const VARIANT: &[Place] = &[Place::Variant, Place::Struct];

const ON_CONTAINER: &str = "it goes on the enum or struct";
const ON_VARIANT: &str = "it goes on each variant (or on a struct)";
pub const DB_EXAMPLE: &str = "`db(constraint = \"things_name_key\")`";
pub const UPSTREAM_EXAMPLE: &str = "`upstream(service = \"billing\", status = 402)`";

/// Every key, in the order the errors list them.
pub static KEYS: &[Key] = &[
    Key {
        name: "docs",
        home: ON_CONTAINER,
        uses: &[Use {
            places: CONTAINER,
            takes: Takes::Str,
            example: "`docs = \"https://docs.example.com/errors/{code}\"`",
            set: attr::set_docs,
        }],
    },
    Key {
        name: "free_messages",
        home: ON_CONTAINER,
        uses: &[Use {
            places: CONTAINER,
            takes: Takes::Flag,
            example: "`#[api(free_messages)]`",
            set: attr::set_free_messages,
        }],
    },
    Key {
        name: "no_response_impl",
        home: ON_CONTAINER,
        uses: &[Use {
            places: CONTAINER,
            takes: Takes::Flag,
            example: "`#[api(no_response_impl)]`",
            set: attr::set_no_response_impl,
        }],
    },
    Key {
        name: "crate",
        home: ON_CONTAINER,
        uses: &[Use {
            places: CONTAINER,
            takes: Takes::Str,
            example: "`crate = \"::apierror\"`",
            set: attr::set_crate,
        }],
    },
    Key {
        name: "status",
        home: ON_VARIANT,
        uses: &[
            Use { places: VARIANT, takes: Takes::Status, example: "`status = 404`", set: attr::set_status },
            Use {
                places: &[Place::Upstream],
                takes: Takes::Status,
                example: UPSTREAM_EXAMPLE,
                set: attr::set_status,
            },
        ],
    },
    Key {
        name: "code",
        home: ON_VARIANT,
        uses: &[Use {
            places: VARIANT,
            takes: Takes::Str,
            example: "`code = \"1010\"`",
            set: attr::set_code,
        }],
    },
    Key {
        name: "details",
        home: "it goes on a field: `#[api(details)]`",
        uses: &[Use {
            places: &[Place::Field],
            takes: Takes::Flag,
            example: "`#[api(details)]`",
            set: attr::set_details,
        }],
    },
    Key {
        name: "field",
        home: "use `field = \"name\"` on the variant, or `#[api(field)]` on the field that holds the name",
        uses: &[
            Use { places: VARIANT, takes: Takes::Str, example: "`field = \"name\"`", set: attr::set_field },
            Use {
                places: &[Place::Field],
                takes: Takes::Flag,
                example: "`#[api(field)]` on the field whose value names the request field",
                set: attr::set_field,
            },
        ],
    },
    Key {
        name: "message",
        home: ON_VARIANT,
        uses: &[Use {
            places: VARIANT,
            takes: Takes::Str,
            example: "`message = \"There is already a column with the same name.\"`",
            set: attr::set_message,
        }],
    },
    Key {
        name: "log",
        home: ON_VARIANT,
        uses: &[Use { places: VARIANT, takes: Takes::Str, example: "`log = \"warn\"`", set: attr::set_log }],
    },
    Key {
        name: "retry_after",
        home: ON_VARIANT,
        uses: &[Use {
            places: VARIANT,
            takes: Takes::Seconds,
            example: "`retry_after = 30`",
            set: attr::set_retry_after,
        }],
    },
    Key {
        name: "db",
        home: ON_VARIANT,
        uses: &[Use {
            places: VARIANT,
            takes: Takes::List(Place::Db),
            example: DB_EXAMPLE,
            set: attr::set_db,
        }],
    },
    Key {
        name: "upstream",
        home: ON_VARIANT,
        uses: &[Use {
            places: VARIANT,
            takes: Takes::List(Place::Upstream),
            example: UPSTREAM_EXAMPLE,
            set: attr::set_upstream,
        }],
    },
    Key {
        name: "transparent",
        home: ON_VARIANT,
        uses: &[Use {
            places: VARIANT,
            takes: Takes::Flag,
            example: "`#[api(transparent)]`",
            set: attr::set_transparent,
        }],
    },
    Key {
        name: "constraint",
        home: "it goes inside `db(...)`: `db(constraint = \"things_name_key\")`",
        uses: &[Use {
            places: &[Place::Db],
            takes: Takes::Str,
            example: DB_EXAMPLE,
            set: attr::set_constraint,
        }],
    },
    Key {
        name: "service",
        home: "it goes inside `upstream(...)`: `upstream(service = \"billing\", status = 402)`",
        uses: &[Use {
            places: &[Place::Upstream],
            takes: Takes::Str,
            example: UPSTREAM_EXAMPLE,
            set: attr::set_service,
        }],
    },
];

/// The key named `name`, wherever it is valid.
pub fn find(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|key| key.name == name)
}

/// The characters of an error code besides ASCII letters and digits.
pub const CODE_PUNCTUATION: &[char] = &['.', '_', '-', ':'];
/// The prefix of the library's own codes, reserved.
pub const RESERVED_PREFIX: &str = "apierror.";

/// The most seconds `retry_after` takes: one day.
pub const MAX_RETRY_AFTER: u32 = 86_400;

/// The error for a name that is no key valid in `place`: "unknown api
/// attribute `x`; expected one of: …" (in a list, "unknown key `x` in
/// `db(...)`; expected: …"), with a suggestion for a near miss, and the key
/// suggested (valid here).
pub fn unknown(name: &str, place: Place) -> (String, Option<&'static str>) {
    let keys: Vec<&str> = place.keys().collect();
    let mut message = if place.is_list() {
        format!("unknown key `{name}` in {}; expected: {}", place.name(), keys.join(", "))
    } else {
        format!("unknown api attribute `{name}`; expected one of: {}", keys.join(", "))
    };
    let nearest = KEYS
        .iter()
        .map(|key| (edit_distance(name, key.name), key.name))
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 4) && *distance > 0)
        .min();
    let meant = nearest.map(|(_, candidate)| candidate).filter(|candidate| keys.contains(candidate));
    if let Some(candidate) = meant {
        message.push_str(&format!(" (did you mean `{candidate}`?)"));
    }
    (message, meant)
}

/// Optimal string alignment distance: Levenshtein plus adjacent
/// transpositions (`stauts` → `status` is 1).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses() {
        assert_eq!(edit_distance("stauts", "status"), 1);
        assert_eq!(edit_distance("messag", "message"), 1);
        assert_eq!(edit_distance("code", "code"), 0);
        assert_eq!(edit_distance("kind", "status"), 6);
    }

    /// The places list their keys as the errors always have.
    #[test]
    fn keys_of_each_place() {
        let keys = |place: Place| place.keys().collect::<Vec<_>>().join(", ");
        assert_eq!(keys(Place::Enum), "docs, free_messages, no_response_impl, crate");
        assert_eq!(
            keys(Place::Variant),
            "status, code, field, message, log, retry_after, db, upstream, transparent"
        );
        assert_eq!(
            keys(Place::Struct),
            "docs, free_messages, no_response_impl, crate, status, code, field, message, log, retry_after, db, upstream, transparent"
        );
        assert_eq!(keys(Place::Field), "details, field");
        assert_eq!(keys(Place::Db), "constraint");
        assert_eq!(keys(Place::Upstream), "status, service");
    }

    /// A near miss inside a list is suggested from the list's keys, as at
    /// the top level.
    #[test]
    fn near_misses_in_lists() {
        let (message, meant) = unknown("constrant", Place::Db);
        assert_eq!(meant, Some("constraint"));
        assert_eq!(
            message,
            "unknown key `constrant` in `db(...)`; expected: constraint (did you mean `constraint`?)"
        );
        assert_eq!(unknown("sevice", Place::Upstream).1, Some("service"));
        assert_eq!(unknown("stauts", Place::Db).1, None);
    }
}
