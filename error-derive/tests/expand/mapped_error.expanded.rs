const _: () = {
    const __TYPE: ::apierror::__private::EntryBuilder = ::apierror::__private::EntryBuilder::new(
        "ThingError",
        ::core::module_path!(),
        ::core::file!(),
    );
    static __ENTRIES: [::apierror::__private::Entry; 4] = __TYPE
        .build_all([
            __TYPE
                .variant("DuplicateName", "things.duplicate_name", 409u16, 11u32)
                .field("name"),
            __TYPE.variant("EmptyName", "things.empty_name", 400u16, 15u32),
            __TYPE.variant("CardDeclined", "billing.card_declined", 402u16, 19u32),
            __TYPE
                .variant("TooMany", "things.too_many", 429u16, 23u32)
                .retry_after(30u32),
        ]);
    #[::apierror::__private::distributed_slice(::apierror::__private::ENTRIES)]
    #[linkme(crate = ::apierror::__private::linkme)]
    static __REGISTERED: &[::apierror::__private::Entry] = &__ENTRIES;
    #[automatically_derived]
    #[allow(unused_qualifications)]
    impl ::apierror::__private::ApiError for ThingError {
        fn entry(&self) -> &'static ::apierror::__private::Entry {
            let __index = match self {
                Self::DuplicateName { .. } => 0,
                Self::EmptyName { .. } => 1,
                Self::CardDeclined { .. } => 2,
                Self::TooMany { .. } => 3,
                Self::Db { 0: __field_0, .. } => {
                    return ::apierror::__private::Transparent::entry(__field_0);
                }
                Self::Upstream { 0: __field_0, .. } => {
                    return ::apierror::__private::Transparent::entry(__field_0);
                }
            };
            &__ENTRIES[__index]
        }
        fn status(&self) -> ::apierror::__private::StatusCode {
            match self {
                Self::Db { 0: __field_0, .. } => {
                    ::apierror::__private::Transparent::status(__field_0)
                }
                Self::Upstream { 0: __field_0, .. } => {
                    ::apierror::__private::Transparent::status(__field_0)
                }
                _ => ::apierror::__private::ApiError::entry(self).status_code(),
            }
        }
        fn field(&self) -> ::core::option::Option<&str> {
            match self {
                Self::Db { 0: __field_0, .. } => {
                    ::apierror::__private::Transparent::field(__field_0)
                }
                Self::Upstream { 0: __field_0, .. } => {
                    ::apierror::__private::Transparent::field(__field_0)
                }
                _ => ::apierror::__private::ApiError::entry(self).field,
            }
        }
        fn write_public_message(
            &self,
            __out: &mut dyn ::apierror::__private::FmtWrite,
        ) -> ::apierror::__private::FmtResult {
            match self {
                Self::Db { 0: __field_0, .. } => {
                    ::apierror::__private::Transparent::write_public_message(
                        __field_0,
                        __out,
                    )
                }
                Self::Upstream { 0: __field_0, .. } => {
                    ::apierror::__private::Transparent::write_public_message(
                        __field_0,
                        __out,
                    )
                }
                _ => {
                    __out
                        .write_str(
                            ::apierror::__private::ApiError::entry(self)
                                .production_message(),
                        )
                }
            }
        }
        fn message_args(
            &self,
            __visit: &mut dyn ::core::ops::FnMut(&'static str, &dyn ::core::fmt::Display),
        ) {
            match self {
                Self::Db { 0: __field_0, .. } => {
                    ::apierror::__private::Transparent::message_args(__field_0, __visit)
                }
                Self::Upstream { 0: __field_0, .. } => {
                    ::apierror::__private::Transparent::message_args(__field_0, __visit)
                }
                _ => {}
            }
        }
        fn write_details(&self, __details: &mut ::apierror::__private::Details<'_>) {
            match self {
                Self::Db { 0: __field_0, .. } => {
                    ::apierror::__private::Transparent::write_details(
                        __field_0,
                        __details,
                    )
                }
                Self::Upstream { 0: __field_0, .. } => {
                    ::apierror::__private::Transparent::write_details(
                        __field_0,
                        __details,
                    )
                }
                _ => {}
            }
        }
        fn as_errors(&self) -> ::core::option::Option<&::apierror::__private::Errors> {
            match self {
                Self::Db { 0: __field_0, .. } => {
                    ::apierror::__private::Transparent::as_errors(__field_0)
                }
                Self::Upstream { 0: __field_0, .. } => {
                    ::apierror::__private::Transparent::as_errors(__field_0)
                }
                _ => ::core::option::Option::None,
            }
        }
        fn retry_after(&self) -> ::core::option::Option<u32> {
            match self {
                Self::Db { 0: __field_0, .. } => {
                    ::apierror::__private::Transparent::retry_after(__field_0)
                }
                Self::Upstream { 0: __field_0, .. } => {
                    ::apierror::__private::Transparent::retry_after(__field_0)
                }
                _ => ::apierror::__private::ApiError::entry(self).retry_after,
            }
        }
        fn boundary(
            &self,
        ) -> ::core::option::Option<::apierror::__private::Boundary<'_>> {
            match self {
                Self::Db { 0: __field_0, .. } => {
                    ::apierror::__private::Transparent::boundary(__field_0)
                }
                Self::Upstream { 0: __field_0, .. } => {
                    ::apierror::__private::Transparent::boundary(__field_0)
                }
                _ => ::core::option::Option::None,
            }
        }
    }
    ::apierror::__private::impl_responses! {
        impl [] for [ThingError] where [] documents[& __ENTRIES] ["Db" => DbError,
        "Upstream" => UpstreamError]
    }
    ::apierror::__private::impl_db! {
        impl [] for [ThingError] where [] { fn from_constraint(__err :
        ::apierror::__private::db::DbError,) -> ::core::result::Result < Self,
        ::apierror::__private::db::DbError > { match
        ::apierror::__private::db::DbError::constraint(& __err) {
        ::core::option::Option::Some("things_name_key") =>
        ::core::result::Result::Ok(Self::DuplicateName(__err)),
        ::core::option::Option::Some("things_name_check") =>
        ::core::result::Result::Ok(Self::EmptyName), _ =>
        ::core::result::Result::Err(__err), } } }
    }
    ::apierror::__private::impl_upstream! {
        #[automatically_derived] #[allow(unused_qualifications)] impl
        ::apierror::__private::upstream::FromUpstreamError for ThingError { fn
        from_upstream_status(__err : ::apierror::__private::upstream::UpstreamError,) ->
        ::core::result::Result < Self, ::apierror::__private::upstream::UpstreamError > {
        if ::apierror::__private::upstream::UpstreamError::answered(& __err, "billing",
        402u16) { return ::core::result::Result::Ok(Self::CardDeclined { source : __err
        }); } ::core::result::Result::Err(__err) } }
    }
};
