const _: () = {
    static __ENTRIES: [::apierror::__private::Entry; 3] = [
        ::apierror::__private::Entry {
            code: "1010",
            status: 409u16,
            type_name: "ColumnError",
            variant: ::core::option::Option::Some("DuplicateName"),
            message: ::core::option::Option::Some(
                "There is already a column with the same name.",
            ),
            field: ::core::option::Option::Some("name"),
            docs: ::core::option::Option::Some("https://docs.example.com/errors/1010"),
            log: ::apierror::__private::LogLevel::Debug,
            module: ::core::module_path!(),
            file: ::core::file!(),
            line: ::core::line!(),
        },
        ::apierror::__private::Entry {
            code: "2001",
            status: 400u16,
            type_name: "ColumnError",
            variant: ::core::option::Option::Some("InvalidType"),
            message: ::core::option::Option::Some("{given} is not a valid type."),
            field: ::core::option::Option::Some("type"),
            docs: ::core::option::Option::Some("https://docs.example.com/errors/2001"),
            log: ::apierror::__private::LogLevel::Debug,
            module: ::core::module_path!(),
            file: ::core::file!(),
            line: ::core::line!(),
        },
        ::apierror::__private::Entry {
            code: "9001",
            status: 503u16,
            type_name: "ColumnError",
            variant: ::core::option::Option::Some("Database"),
            message: ::core::option::Option::None,
            field: ::core::option::Option::None,
            docs: ::core::option::Option::Some("https://docs.example.com/errors/9001"),
            log: ::apierror::__private::LogLevel::Error,
            module: ::core::module_path!(),
            file: ::core::file!(),
            line: ::core::line!(),
        },
    ];
    #[::apierror::__private::distributed_slice(::apierror::__private::ENTRIES)]
    #[linkme(crate = ::apierror::__private::linkme)]
    static __REGISTERED: &[::apierror::__private::Entry] = &__ENTRIES;
    #[automatically_derived]
    #[allow(unused_qualifications)]
    impl ::apierror::__private::ApiError for ColumnError {
        fn entry(&self) -> &'static ::apierror::__private::Entry {
            match self {
                Self::DuplicateName { .. } => &__ENTRIES[0],
                Self::InvalidType { .. } => &__ENTRIES[1],
                Self::Database { .. } => &__ENTRIES[2],
                Self::Table(__0) => ::apierror::__private::ApiError::entry(__0),
            }
        }
        fn field(&self) -> ::core::option::Option<&str> {
            match self {
                Self::Table(__0) => ::apierror::__private::ApiError::field(__0),
                _ => ::apierror::__private::ApiError::entry(self).field,
            }
        }
        fn public_message(&self) -> ::apierror::__private::Cow<'_, str> {
            match self {
                Self::InvalidType { .. } => ::apierror::__private::format_message(self),
                Self::Table(__0) => ::apierror::__private::ApiError::public_message(__0),
                _ => {
                    ::apierror::__private::static_message(
                        ::apierror::__private::ApiError::entry(self),
                    )
                }
            }
        }
        fn write_public_message(
            &self,
            __out: &mut dyn ::apierror::__private::FmtWrite,
        ) -> ::apierror::__private::FmtResult {
            match self {
                Self::InvalidType { given, .. } => {
                    ::core::write!(__out, "{given} is not a valid type.")
                }
                Self::Table(__0) => {
                    ::apierror::__private::ApiError::write_public_message(__0, __out)
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
        fn write_details(&self, __details: &mut ::apierror::__private::Details<'_>) {
            match self {
                Self::InvalidType { available_types, .. } => {
                    __details.member("available_types", available_types);
                }
                Self::Table(__0) => {
                    ::apierror::__private::ApiError::write_details(__0, __details)
                }
                _ => {}
            }
        }
    }
    ::apierror::__private::impl_responses! {
        impl [] for [ColumnError] where []
    }
};
const _: () = {
    static __ENTRIES: [::apierror::__private::Entry; 1] = [
        ::apierror::__private::Entry {
            code: "2002",
            status: 422u16,
            type_name: "OutOfRange",
            variant: ::core::option::Option::None,
            message: ::core::option::Option::Some("The value must be at most {max}."),
            field: ::core::option::Option::None,
            docs: ::core::option::Option::None,
            log: ::apierror::__private::LogLevel::Info,
            module: ::core::module_path!(),
            file: ::core::file!(),
            line: ::core::line!(),
        },
    ];
    #[::apierror::__private::distributed_slice(::apierror::__private::ENTRIES)]
    #[linkme(crate = ::apierror::__private::linkme)]
    static __REGISTERED: &[::apierror::__private::Entry] = &__ENTRIES;
    #[automatically_derived]
    #[allow(unused_qualifications)]
    impl<T: std::fmt::Display> ::apierror::__private::ApiError for OutOfRange<T>
    where
        Self: ::std::error::Error,
        T: ::apierror::__private::Serialize,
        T: ::core::fmt::Display,
    {
        fn entry(&self) -> &'static ::apierror::__private::Entry {
            &__ENTRIES[0]
        }
        fn field(&self) -> ::core::option::Option<&str> {
            let Self { field, .. } = self;
            ::core::option::Option::Some(::core::convert::AsRef::<str>::as_ref(field))
        }
        fn public_message(&self) -> ::apierror::__private::Cow<'_, str> {
            ::apierror::__private::format_message(self)
        }
        fn write_public_message(
            &self,
            __out: &mut dyn ::apierror::__private::FmtWrite,
        ) -> ::apierror::__private::FmtResult {
            let Self { max, .. } = self;
            ::core::write!(__out, "The value must be at most {max}.")
        }
        fn write_details(&self, __details: &mut ::apierror::__private::Details<'_>) {
            let Self { max, .. } = self;
            {
                __details.member("max", max);
            }
        }
    }
    ::apierror::__private::impl_responses! {
        impl [< T : std::fmt::Display >] for [OutOfRange < T >] where [Self :
        ::std::error::Error, T : ::apierror::__private::Serialize, T :
        ::core::fmt::Display]
    }
};
