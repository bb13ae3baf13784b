//! The counter behind actix-web: the example's routes with a panicking
//! route and an `Errors` route, served on loopback (the server's worker is
//! a thread of its own).
#![cfg(feature = "actix-web")]

use actix_web::{web as aweb, App};

use crate::{lock, prometheus, web};
use apierror_examples::server_actix as server;

async fn panics() -> &'static str {
    panic!("{}", web::PANIC_MESSAGE)
}

async fn errors() -> Result<actix_web::HttpResponse, apierror::Errors> {
    Err(crate::two_errors())
}

#[test]
fn errors_are_counted_by_code_and_status() {
    let _turn = lock();
    prometheus();
    actix_web::rt::System::new().block_on(async {
        web::set_up();
        let store = aweb::Data::new(apierror_examples::things::Store::default());
        let app = move || {
            App::new()
                // No counters: counted through the facade's recorder (the
                // axum test's configuration keeps its handles).
                .wrap(apierror::actix::middleware_with(apierror::Config::production()))
                .app_data(store.clone())
                .configure(server::routes)
                .route("/test/panic", aweb::get().to(panics))
                .route("/test/errors", aweb::get().to(errors))
                .default_service(aweb::to(apierror::actix::not_found))
        };
        web::serve::actix(app, |address| async move { crate::scenario(&web::Client::new(address)).await })
            .await;
    });
}
