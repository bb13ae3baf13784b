//! The events of upstream failures. Foreign text (the service name, the
//! URL, the body) is recorded through the library's [`Text`](crate::log::Text).

#[cfg(feature = "tracing")]
use std::collections::HashSet;
#[cfg(feature = "tracing")]
use std::sync::Mutex;

#[cfg(feature = "tracing")]
use crate::log::Text;

/// (type, service, status) triples warned about at most: past it,
/// nothing more is remembered or warned, so a stream of statuses or
/// service names cannot grow memory.
#[cfg(feature = "tracing")]
const MAX_WARNED: usize = 1024;

#[cfg(feature = "tracing")]
static WARNED: Mutex<Option<HashSet<u64>>> = Mutex::new(None);

/// Whether the triple is seen for the first time (and there is room).
#[cfg(feature = "tracing")]
fn first_time(type_name: &str, service: &str, status: u16) -> bool {
    use std::hash::BuildHasher;
    // A fixed hasher: the same triple is the same key for the whole process.
    let key = std::hash::BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default()
        .hash_one((type_name, service, status));
    let mut warned = WARNED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let warned = warned.get_or_insert_with(HashSet::new);
    if warned.len() >= MAX_WARNED || warned.contains(&key) {
        return false;
    }
    warned.insert(key)
}

/// An upstream status no variant of `type_name` maps: one `warn` per
/// process and triple, naming the attribute to add.
pub(super) fn unmapped_status(type_name: &'static str, service: &str, status: u16) {
    #[cfg(feature = "tracing")]
    if tracing::enabled!(target: "apierror::upstream", tracing::Level::WARN)
        && first_time(type_name, service, status)
    {
        tracing::event!(
            target: "apierror::upstream",
            tracing::Level::WARN,
            error.r#type = type_name,
            upstream.service = %Text(service),
            upstream.status = status,
            "apierror: upstream `{}` answered {}, which {} does not map: it answers {}; to answer it with \
             a variant of your own, add `#[api(..., upstream(service = \"{}\", status = {}))]` to that variant",
            Text(service),
            status,
            type_name,
            super::UpstreamErrorKind::BadGateway.entry().code,
            Text(service.escape_default()),
            status,
        );
    }
    #[cfg(not(feature = "tracing"))]
    let _ = (type_name, service, status);
}
