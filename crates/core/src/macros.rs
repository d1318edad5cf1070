//! Declares a closed enum together with `ALL`, the list of its variants, from one list, so a
//! generated list (e.g. the TypeScript `ERROR_CODES`) can never miss one.

macro_rules! closed_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$doc:meta])* $variant:ident,)* }) => {
        $(#[$meta])*
        pub enum $name {
            $($(#[$doc])* $variant,)*
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
        }
    };
}
