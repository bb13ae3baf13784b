//! Rust field names renamed as serde's `rename_all` renames them.

/// How a Rust field name (`snake_case`) is renamed for the client: the
/// values of serde's `rename_all`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum RenameAll {
    /// As written in Rust (no `rename_all`).
    #[default]
    None,
    /// `lowercase`
    Lowercase,
    /// `UPPERCASE`
    Uppercase,
    /// `PascalCase`
    PascalCase,
    /// `camelCase`
    CamelCase,
    /// `snake_case`
    SnakeCase,
    /// `SCREAMING_SNAKE_CASE`
    ScreamingSnakeCase,
    /// `kebab-case`
    KebabCase,
    /// `SCREAMING-KEBAB-CASE`
    ScreamingKebabCase,
}

impl RenameAll {
    /// Appends `name` (a Rust field name, `r#` allowed) renamed to `out`, as
    /// serde renames it.
    // Into `Collector::key`, as when they shared a module (another
    // codegen unit does not inline it otherwise).
    #[inline(always)]
    pub(super) fn push(self, name: &str, out: &mut String) {
        let name = crate::registry::unraw(name);
        match self {
            Self::None | Self::SnakeCase => out.push_str(name),
            Self::Lowercase => out.push_str(&name.to_ascii_lowercase()),
            Self::Uppercase | Self::ScreamingSnakeCase => out.push_str(&name.to_ascii_uppercase()),
            Self::KebabCase => out.push_str(&name.replace('_', "-")),
            Self::ScreamingKebabCase => out.push_str(&name.to_ascii_uppercase().replace('_', "-")),
            Self::PascalCase | Self::CamelCase => {
                let mut capitalize = self == Self::PascalCase;
                for c in name.chars() {
                    if c == '_' {
                        capitalize = true;
                    } else if capitalize {
                        out.extend(c.to_uppercase());
                        capitalize = false;
                    } else {
                        out.push(c);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rename_all_as_serde() {
        let rename = |rule: RenameAll, name: &str| {
            let mut out = String::new();
            rule.push(name, &mut out);
            out
        };
        assert_eq!(rename(RenameAll::CamelCase, "rating_out_of_five"), "ratingOutOfFive");
        assert_eq!(rename(RenameAll::PascalCase, "rating_out_of_five"), "RatingOutOfFive");
        assert_eq!(rename(RenameAll::KebabCase, "rating_out_of_five"), "rating-out-of-five");
        assert_eq!(rename(RenameAll::ScreamingKebabCase, "a_b"), "A-B");
        assert_eq!(rename(RenameAll::ScreamingSnakeCase, "a_b"), "A_B");
        assert_eq!(rename(RenameAll::None, "r#type"), "type");
        assert_eq!(rename(RenameAll::CamelCase, "name"), "name");
    }
}
