//! Empty. trybuild builds the cases against this package's dependencies
//! and turns on a feature of apierror only through a library of the
//! package under test (`apierror-ui/axum` → `apierror/axum`); this is that
//! library.
