// Input of the expansion snapshot: `mapped_error.expanded.rs` beside it is
// what `#[derive(ApiError)]` generates for a type that maps database
// constraints and upstream answers to its variants, declares `retry_after`
// and delegates through `transparent`. Regenerate with
// `APIERROR_BLESS_SNAPSHOTS=1 cargo test -p apierror-derive`.

#[derive(Debug, thiserror::Error, ApiError)]
pub enum ThingError {
    #[error("a thing with this name exists")]
    #[api(status = 409, code = "things.duplicate_name", field = "name", db(constraint = "things_name_key"))]
    DuplicateName(#[source] DbError),

    #[error("a thing needs a name")]
    #[api(status = 400, code = "things.empty_name", db(constraint = "things_name_check"))]
    EmptyName,

    #[error("the card was declined")]
    #[api(status = 402, code = "billing.card_declined", upstream(service = "billing", status = 402))]
    CardDeclined { source: UpstreamError },

    #[error("too many things")]
    #[api(status = 429, code = "things.too_many", retry_after = 30)]
    TooMany,

    #[error(transparent)]
    #[api(transparent)]
    Db(#[from] DbError),

    #[error(transparent)]
    #[api(transparent)]
    Upstream(#[from] UpstreamError),
}
