//! The events of upstream failures. Foreign text (the service name, the
//! URL, the body) is recorded through the library's [`Text`](crate::log::Text).

#[cfg(feature = "tracing")]
use crate::log::Text;

/// The (type, service, status) triples already warned about.
#[cfg(feature = "tracing")]
static WARNED: crate::log::WarnOnce = crate::log::WarnOnce::new();

/// An upstream status no variant of `type_name` maps: one `warn` per
/// process and triple, naming the attribute to add.
pub(super) fn unmapped_status(type_name: &'static str, service: &str, status: u16) {
    #[cfg(feature = "tracing")]
    if tracing::enabled!(target: "apierror::upstream", tracing::Level::WARN)
        && WARNED.first_time((type_name, service, status))
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
