use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
pub enum StoreError {
    #[error("database unavailable")]
    #[api(status = 503, code = "9001", message = "The database failed: {0}.")]
    Database(#[source] std::io::Error),
    #[error("cache unavailable")]
    #[api(status = 503, code = "9002", message = "The cache failed: {source}.")]
    Cache { source: std::io::Error },
}

fn main() {}
