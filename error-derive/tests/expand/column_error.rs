// Input of the expansion snapshot: `column_error.expanded.rs` beside it is
// what `#[derive(ApiError)]` generates for these types. The snapshot test in
// `error-derive` regenerates it; review its diff with every change to the
// generated code. Regenerate with `APIERROR_BLESS_SNAPSHOTS=1 cargo test -p apierror-derive`.

#[derive(Debug, thiserror::Error, ApiError)]
#[api(docs = "https://docs.example.com/errors/{code}")]
pub enum ColumnError {
    #[error("column `{name}` already exists in table {table}")]
    #[api(status = 409, code = "1010", field = "name", message = "There is already a column with the same name.")]
    DuplicateName { name: String, table: String },

    #[error("type {given} is not a valid type")]
    #[api(status = 400, code = "2001", field = "type", message = "{given} is not a valid type.")]
    InvalidType {
        given: String,
        #[api(details)]
        available_types: Vec<String>,
    },

    #[error("database unavailable")]
    #[api(status = 503, code = "9001")]
    Database(#[source] std::io::Error),

    #[error(transparent)]
    #[api(transparent)]
    Table(#[from] TableError),
}

#[derive(Debug, thiserror::Error, ApiError)]
#[error("value out of range for {field}")]
#[api(status = 422, code = "2002", message = "The value must be at most {max}.", log = "info")]
pub struct OutOfRange<T: std::fmt::Display> {
    #[api(field)]
    field: String,
    #[api(details)]
    max: T,
}
