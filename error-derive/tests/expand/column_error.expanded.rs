const _: () = {
    const __TYPE: ::apierror::__private::EntryBuilder = ::apierror::__private::EntryBuilder::new(
        "ColumnError",
        ::core::module_path!(),
        ::core::file!(),
    );
    static __ENTRIES: [::apierror::__private::Entry; 3] = __TYPE
        .build_all([
            __TYPE
                .documented_variant(
                    "DuplicateName",
                    "1010",
                    409u16,
                    11u32,
                    "https://docs.example.com/errors/1010",
                )
                .message("There is already a column with the same name.")
                .field("name"),
            __TYPE
                .documented_variant(
                    "InvalidType",
                    "2001",
                    400u16,
                    15u32,
                    "https://docs.example.com/errors/2001",
                )
                .message("{given} is not a valid type.")
                .field("type")
                .args(&["given"]),
            __TYPE
                .documented_variant(
                    "Database",
                    "9001",
                    503u16,
                    23u32,
                    "https://docs.example.com/errors/9001",
                ),
        ]);
    #[::apierror::__private::distributed_slice(::apierror::__private::ENTRIES)]
    #[linkme(crate = ::apierror::__private::linkme)]
    static __REGISTERED: &[::apierror::__private::Entry] = &__ENTRIES;
    #[automatically_derived]
    #[allow(unused_qualifications)]
    impl ::apierror::__private::ApiError for ColumnError {
        fn entry(&self) -> &'static ::apierror::__private::Entry {
            let __index = match self {
                Self::DuplicateName { .. } => 0,
                Self::InvalidType { .. } => 1,
                Self::Database { .. } => 2,
                Self::Table { 0: __field_0, .. } => {
                    return ::apierror::__private::Transparent::entry(__field_0);
                }
            };
            &__ENTRIES[__index]
        }
        fn status(&self) -> ::apierror::__private::StatusCode {
            match self {
                Self::Table { 0: __field_0, .. } => {
                    ::apierror::__private::Transparent::status(__field_0)
                }
                _ => ::apierror::__private::ApiError::entry(self).status_code(),
            }
        }
        fn field(&self) -> ::core::option::Option<&str> {
            match self {
                Self::Table { 0: __field_0, .. } => {
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
                Self::InvalidType { given: __field_given, .. } => {
                    __out
                        .write_fmt(
                            ::core::format_args!(
                                "{__field_given} is not a valid type.", __field_given =
                                __field_given
                            ),
                        )
                }
                Self::Table { 0: __field_0, .. } => {
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
                Self::InvalidType { given: __field_given, .. } => {
                    __visit("given", __field_given);
                }
                Self::Table { 0: __field_0, .. } => {
                    ::apierror::__private::Transparent::message_args(__field_0, __visit)
                }
                _ => {}
            }
        }
        fn write_details(&self, __details: &mut ::apierror::__private::Details<'_>) {
            match self {
                Self::InvalidType { available_types: __field_available_types, .. } => {
                    ::apierror::__private::details_member(
                        __details,
                        "available_types",
                        __field_available_types,
                    );
                }
                Self::Table { 0: __field_0, .. } => {
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
                Self::Table { 0: __field_0, .. } => {
                    ::apierror::__private::Transparent::as_errors(__field_0)
                }
                _ => ::core::option::Option::None,
            }
        }
        fn retry_after(&self) -> ::core::option::Option<u32> {
            match self {
                Self::Table { 0: __field_0, .. } => {
                    ::apierror::__private::Transparent::retry_after(__field_0)
                }
                _ => ::apierror::__private::ApiError::entry(self).retry_after,
            }
        }
        fn boundary(
            &self,
        ) -> ::core::option::Option<::apierror::__private::Boundary<'_>> {
            match self {
                Self::Table { 0: __field_0, .. } => {
                    ::apierror::__private::Transparent::boundary(__field_0)
                }
                _ => ::core::option::Option::None,
            }
        }
    }
    ::apierror::__private::impl_responses! {
        impl [] for [ColumnError] where [] documents[& __ENTRIES] ["Table" => TableError]
    }
};
const _: () = {
    const __TYPE: ::apierror::__private::EntryBuilder = ::apierror::__private::EntryBuilder::new(
        "OutOfRange",
        ::core::module_path!(),
        ::core::file!(),
    );
    static __ENTRIES: [::apierror::__private::Entry; 1] = __TYPE
        .build_all([
            __TYPE
                .item("2002", 422u16, 33u32)
                .message("The value must be at most {max}.")
                .log(::apierror::__private::LogLevel::Info)
                .args(&["max"]),
        ]);
    #[::apierror::__private::distributed_slice(::apierror::__private::ENTRIES)]
    #[linkme(crate = ::apierror::__private::linkme)]
    static __REGISTERED: &[::apierror::__private::Entry] = &__ENTRIES;
    #[automatically_derived]
    #[allow(unused_qualifications)]
    impl<T: std::fmt::Display> ::apierror::__private::ApiError for OutOfRange<T>
    where
        Self: ::std::error::Error,
        T: ::apierror::__private::DetailsValue,
        T: ::core::fmt::Display,
    {
        fn entry(&self) -> &'static ::apierror::__private::Entry {
            &__ENTRIES[0]
        }
        fn field(&self) -> ::core::option::Option<&str> {
            let Self { field: __field_field, .. } = self;
            ::core::option::Option::Some(
                ::core::convert::AsRef::<str>::as_ref(__field_field),
            )
        }
        fn write_public_message(
            &self,
            __out: &mut dyn ::apierror::__private::FmtWrite,
        ) -> ::apierror::__private::FmtResult {
            let Self { max: __field_max, .. } = self;
            {
                #[allow(unused_imports)]
                use ::apierror::__private::{
                    ProbeError as _, ProbeErrorRef as _, ProbeErrorRefSync as _,
                    ProbeOther as _,
                };
                ::apierror::__private::not_an_error(
                    (&&&&::apierror::__private::Probe(__field_max)).__apierror_kind(),
                );
                __out
                    .write_fmt(
                        ::core::format_args!(
                            "The value must be at most {__field_max}.", __field_max =
                            __field_max
                        ),
                    )
            }
        }
        fn message_args(
            &self,
            __visit: &mut dyn ::core::ops::FnMut(&'static str, &dyn ::core::fmt::Display),
        ) {
            let Self { max: __field_max, .. } = self;
            {
                __visit("max", __field_max);
            }
        }
        fn write_details(&self, __details: &mut ::apierror::__private::Details<'_>) {
            let Self { max: __field_max, .. } = self;
            {
                ::apierror::__private::details_member(__details, "max", __field_max);
            }
        }
    }
    ::apierror::__private::impl_responses! {
        impl [< T : std::fmt::Display >] for [OutOfRange < T >] where [Self :
        ::std::error::Error, T : ::apierror::__private::DetailsValue, T :
        ::core::fmt::Display] documents[& __ENTRIES] []
    }
};
