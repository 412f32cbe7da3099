//! `xpm_record!`: one declaration gives a model type its fields, XML codec and JSON names.
//!
//! Each field is written `name: Type = kind "XmlName"`, where kind is `value` (a scalar held as
//! text), `record` (a nested element) or `list "Collection" "Item"`. Every field is optional,
//! because XPM omits different elements on different endpoints; `None` means absent, and for text
//! `Some("")` means present but empty (`<Fax/>`), so what is decoded is written back unchanged.
//! JSON names are the camelCase of the field name unless a field says otherwise.

macro_rules! xpm_record {
    // Responses: lenient serde (XPM adds fields), and the values tolerant decoding kept.
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                $field:ident : $ty:ty = $kind:ident $xml:literal $($item:literal)?
            ),* $(,)?
        }
    ) => {
        xpm_record! {
            @serde()
            @extra {
                /// Values tolerant decoding could not parse (their fields are left unset), kept
                /// as XPM sent them with their paths; set only on items a tolerant list hands
                /// out. Written to JSON as `_unparsed` (never part of XPM's own JSON), not to XML.
                #[serde(rename = "_unparsed", default, skip_serializing_if = "Option::is_none")]
                pub unparsed: Option<Vec<$crate::xml::Unparsed>>,
            }
            @keep {
                fn unparsed(&self) -> &[$crate::xml::Unparsed] {
                    self.unparsed.as_deref().unwrap_or_default()
                }

                fn keep_unparsed(&mut self, unparsed: Vec<$crate::xml::Unparsed>) {
                    if !unparsed.is_empty() {
                        self.unparsed.get_or_insert_with(Vec::new).extend(unparsed);
                    }
                }
            }
            $(#[$meta])*
            pub struct $name {
                $(
                    $(#[$field_meta])*
                    $field: $ty = $kind $xml $($item)?
                ),*
            }
        }
    };
    // `@serde(deny_unknown_fields)` adds container attributes to the derived serde impls (request
    // bodies refuse keys they do not know) and nothing else: a body we write is never tolerated.
    (
        @serde($($serde:tt)*)
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                $field:ident : $ty:ty = $kind:ident $xml:literal $($item:literal)?
            ),* $(,)?
        }
    ) => {
        xpm_record! {
            @serde($($serde)*)
            @extra {}
            @keep {}
            $(#[$meta])*
            pub struct $name {
                $(
                    $(#[$field_meta])*
                    $field: $ty = $kind $xml $($item)?
                ),*
            }
        }
    };
    (
        @serde($($serde:tt)*)
        @extra { $($extra:tt)* }
        @keep { $($keep:tt)* }
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                $field:ident : $ty:ty = $kind:ident $xml:literal $($item:literal)?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "camelCase", $($serde)*)]
        #[non_exhaustive]
        pub struct $name {
            $(
                $(#[$field_meta])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: xpm_field_type!($kind, $ty),
            )*
            $($extra)*
        }

        impl $crate::xml::XmlRecord for $name {
            fn decode_children<R: std::io::BufRead>(
                &mut self,
                reader: &mut $crate::xml::XmlReader<R>,
            ) -> Result<(), $crate::xml::DecodeError> {
                // One variant per field, so that once a name is looked up the field is a number,
                // not a name to compare arm by arm.
                #[derive(Clone, Copy)]
                #[expect(non_camel_case_types, reason = "each variant is named after its field")]
                enum Field {
                    $( $field, )*
                }
                const FIELDS: &[(&[u8], Field)] = &[ $( ($xml.as_bytes(), Field::$field), )* ];
                // `next_field` takes the first field with the name after its last match, which
                // is the only field with that name: checked here, when the crate compiles.
                const _: () = {
                    const fn same(left: &[u8], right: &[u8]) -> bool {
                        if left.len() != right.len() {
                            return false;
                        }
                        let mut index = 0;
                        while index < left.len() {
                            if left[index] != right[index] {
                                return false;
                            }
                            index += 1;
                        }
                        true
                    }
                    let mut first = 0;
                    while first < FIELDS.len() {
                        let mut second = first + 1;
                        while second < FIELDS.len() {
                            assert!(
                                !same(FIELDS[first].0, FIELDS[second].0),
                                concat!("two fields of ", stringify!($name), " share an XML name"),
                            );
                            second += 1;
                        }
                        first += 1;
                    }
                };
                // Errors are rare: naming the field in one out-of-line function keeps that code
                // out of the hot loop, which helps it stay in the instruction cache.
                #[cold]
                #[inline(never)]
                fn within(error: $crate::xml::DecodeError, field: &'static str) -> $crate::xml::DecodeError {
                    error.within(field)
                }
                let mut next = 0;
                let mut pending = reader.next_field(FIELDS, &mut next)?;
                // XPM writes the fields in the order they are declared, so they are first tried
                // in that order, each behind its own branch: whether a field is there follows a
                // pattern (individuals have a first name, companies a company number) that the
                // branch predictor learns, which the single jump below cannot. Measured about 2%
                // faster on a large client list.
                $(
                    if let Some((Some(Field::$field), empty)) = pending {
                        self.$field = xpm_field_decode!(reader, empty, $kind, $ty, $xml $(, $item)?)
                            .map_err(|error| within(error, $xml))?;
                        pending = reader.next_field(FIELDS, &mut next)?;
                    }
                )*
                // Whatever is left: fields out of that order, repeated or unknown.
                while let Some((field, empty)) = pending {
                    match field {
                        $(
                            Some(Field::$field) => {
                                self.$field = xpm_field_decode!(reader, empty, $kind, $ty, $xml $(, $item)?)
                                    .map_err(|error| within(error, $xml))?;
                            }
                        )*
                        None => reader.skip(empty)?,
                    }
                    pending = reader.next_field(FIELDS, &mut next)?;
                }
                Ok(())
            }

            fn encode_children(&self, writer: &mut $crate::xml::XmlWriter) {
                $( xpm_field_encode!(writer, &self.$field, $kind, $xml $(, $item)?); )*
            }

            $($keep)*
        }
    };
}

macro_rules! xpm_field_type {
    (value, $ty:ty) => { Option<$ty> };
    (record, $ty:ty) => { Option<$ty> };
    (list, $ty:ty) => { Option<Vec<$ty>> };
}

// A nested record or list names itself in the paths of the values tolerant decoding kept inside
// it (a scalar's own name is its path when it is kept).
macro_rules! xpm_field_decode {
    ($reader:ident, $empty:ident, value, $ty:ty, $xml:literal) => {
        $crate::xml::decode_value::<$ty, R>($reader, $empty)
    };
    ($reader:ident, $empty:ident, record, $ty:ty, $xml:literal) => {{
        let before = $reader.unparsed_len();
        let decoded = $crate::xml::decode_record::<$ty, R>($reader, $empty);
        $reader.prefix_unparsed(before, $xml);
        decoded
    }};
    ($reader:ident, $empty:ident, list, $ty:ty, $xml:literal, $item:literal) => {{
        let before = $reader.unparsed_len();
        let decoded = $crate::xml::decode_list::<$ty, R>($reader, $empty, $item);
        $reader.prefix_unparsed(before, $xml);
        decoded
    }};
}

macro_rules! xpm_field_encode {
    ($writer:ident, $value:expr, value, $xml:literal) => {
        $crate::xml::encode_value($xml, $value, $writer)
    };
    ($writer:ident, $value:expr, record, $xml:literal) => {
        $crate::xml::encode_record($xml, $value, $writer)
    };
    ($writer:ident, $value:expr, list, $xml:literal, $item:literal) => {
        $crate::xml::encode_list($xml, $item, $value, $writer)
    };
}
