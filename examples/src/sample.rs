//! Sample error types, as a team would write them: the examples and tests
//! of this repository share them. [`ColumnError`] is the enum of the design
//! document; [`TableError`] is another type it wraps transparently.

use apierror::ApiError;

/// Errors of the columns service.
#[derive(Debug, thiserror::Error, ApiError)]
#[api(docs = "https://docs.example.com/errors/{code}")]
pub enum ColumnError {
    /// A column with this name already exists in the table.
    #[error("column `{name}` already exists in table {table}")]
    #[api(
        status = 409,
        code = "1010",
        field = "name",
        message = "There is already a column with the same name."
    )]
    DuplicateName {
        /// The requested column name.
        name: String,
        /// The table it was added to.
        table: String,
    },

    /// The requested column type does not exist.
    #[error("type {given} is not a valid type")]
    #[api(status = 400, code = "2001", field = "type", message = "{given} is not a valid type.")]
    InvalidType {
        /// The type in the request.
        given: String,
        /// The types that exist, sent to the client in `details`.
        #[api(details)]
        available_types: Vec<String>,
    },

    /// The database could not be reached; the cause stays on the server.
    #[error("database unavailable")]
    #[api(status = 503, code = "9001")]
    Database(#[source] std::io::Error),

    /// A table error: its status, code and message are the table's.
    #[error(transparent)]
    #[api(transparent)]
    Table(#[from] TableError),
}

/// Errors of the tables service.
#[derive(Debug, thiserror::Error, ApiError)]
#[api(docs = "https://docs.example.com/errors/{code}")]
pub enum TableError {
    /// No table has this name.
    #[error("table {name} does not exist")]
    #[api(status = 404, code = "3001", field = "table", message = "Table {name} does not exist.")]
    NotFound {
        /// The requested table.
        name: String,
    },

    /// The table only accepts reads.
    #[error("table {name} is read-only")]
    #[api(status = 403, code = "3002", message = "Table {name} is read-only.")]
    ReadOnly {
        /// The table.
        name: String,
    },
}
