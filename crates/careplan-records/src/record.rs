//! Record types: each file type's row as a struct of named, typed fields, each field bound to an
//! item of careplan-spec's layout **by the item's name**, never by a position of its own. The
//! positions come from the layout of the file's CSV version, resolved once per file, so v3.2 files
//! (which lack 第6表's TAISコード …) read through the same types.

use std::borrow::Cow;

use careplan_spec::layout::{ItemSpec, Layout};
use careplan_spec::reader::Record;

use crate::values::{ItemValue, ValueKind};

/// One field of a record type and the layout item it reads.
#[derive(Debug, Clone, Copy)]
pub struct FieldItem {
    /// The Rust (and JSON) field name.
    pub field: &'static str,
    /// The item's Japanese name in the layout book.
    pub item: &'static str,
    /// Which item of that name (1 = the first): 第3表 has two 開始時間 and two 終了時間.
    pub nth: usize,
    pub kind: ValueKind,
    pub optional: bool,
}

/// Why a record could not be read, in Japanese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub line: u32,
    /// The item's `No.`, when one item is the cause.
    pub item_no: Option<u16>,
    pub message: String,
}

/// A record type of the standard.
pub trait RecordType: Sized {
    /// The fields in declaration order, with the items they read.
    const FIELDS: &'static [FieldItem];
    fn read(row: &RowReader<'_>) -> Result<Self, ReadError>;
    fn write(&self, row: &mut RowWriter<'_>);
}

/// The fields of a record type resolved against one layout: the item index of each field.
#[derive(Debug)]
pub struct Binding<'l> {
    pub layout: &'l Layout,
    indexes: Vec<Option<usize>>,
}

impl<'l> Binding<'l> {
    /// Resolves each field's item in the layout. A field whose item the layout lacks must be
    /// optional; anything else is a defect of the record type, found by this crate's tests.
    pub fn new(fields: &[FieldItem], layout: &'l Layout) -> Binding<'l> {
        let indexes = fields
            .iter()
            .map(|field| {
                layout
                    .items
                    .iter()
                    .enumerate()
                    .filter(|(_, item)| item.name == field.item)
                    .nth(field.nth - 1)
                    .map(|(index, _)| index)
            })
            .collect();
        Binding { layout, indexes }
    }

    /// The item index of field `slot`.
    pub fn index(&self, slot: usize) -> Option<usize> {
        self.indexes[slot]
    }
}

/// One CSV record seen through a binding.
pub struct RowReader<'a> {
    binding: &'a Binding<'a>,
    record: &'a Record<'a>,
}

impl<'a> RowReader<'a> {
    pub fn new(binding: &'a Binding<'a>, record: &'a Record<'a>) -> RowReader<'a> {
        RowReader { binding, record }
    }

    pub fn line(&self) -> u32 {
        self.record.line()
    }

    /// The value of field `slot`.
    pub fn value<T: ItemValue>(&self, slot: usize) -> Result<T, ReadError> {
        let Some(index) = self.binding.index(slot) else {
            return T::absent().ok_or_else(|| ReadError {
                line: self.line(),
                item_no: None,
                message: "このCSVバージョンにない項目を読もうとしました。".to_owned(),
            });
        };
        let spec: &ItemSpec = &self.binding.layout.items[index];
        let text: Cow<'_, str> = self.record.get(index).unwrap_or_default();
        T::read(spec, &text).map_err(|message| ReadError {
            line: self.line(),
            item_no: Some(index as u16 + 1),
            message,
        })
    }
}

/// Builds the items of one record from typed fields.
pub struct RowWriter<'a> {
    binding: &'a Binding<'a>,
    items: Vec<String>,
}

impl<'a> RowWriter<'a> {
    pub fn new(binding: &'a Binding<'a>) -> RowWriter<'a> {
        RowWriter {
            binding,
            items: vec![String::new(); binding.layout.items.len()],
        }
    }

    pub fn put<T: ItemValue>(&mut self, slot: usize, value: &T) {
        if let Some(index) = self.binding.index(slot) {
            self.items[index] = value.write(&self.binding.layout.items[index]);
        }
    }

    pub fn into_items(self) -> Vec<String> {
        self.items
    }
}

/// Declares a record type: a struct whose fields read the named layout items.
///
/// `field: Type = "日本語名"` binds the first item of that name; `= "開始時間" #2` the second.
/// Fields after `derived:` are computed from neighbouring rows (第2表's continuation marks) and
/// are never written to the file.
macro_rules! record_type {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty = $item:literal $(#$nth:literal)? ),* $(,)?
        }
        $( derived { $( $(#[$dmeta:meta])* $dfield:ident : $dty:ty ),* $(,)? } )?
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
        #[ts(export, export_to = "records/")]
        pub struct $name {
            /// The physical line the record starts on (1-based), as the validator's diagnostics give it.
            pub line: u32,
            $( $(#[$fmeta])* #[doc = concat!("「", $item, "」")] pub $field: $ty, )*
            $( $( $(#[$dmeta])* pub $dfield: $dty, )* )?
        }

        impl $crate::record::RecordType for $name {
            const FIELDS: &'static [$crate::record::FieldItem] = &[
                $( $crate::record::FieldItem {
                    field: stringify!($field),
                    item: $item,
                    nth: record_type!(@nth $($nth)?),
                    kind: <$ty as $crate::values::ItemValue>::KIND,
                    optional: <$ty as $crate::values::ItemValue>::OPTIONAL,
                }, )*
            ];

            fn read(row: &$crate::record::RowReader<'_>) -> Result<Self, $crate::record::ReadError> {
                let mut slots = 0usize..;
                Ok($name {
                    line: row.line(),
                    $( $field: row.value::<$ty>(slots.next().unwrap_or_default())?, )*
                    $( $( $dfield: <$dty>::default(), )* )?
                })
            }

            fn write(&self, row: &mut $crate::record::RowWriter<'_>) {
                let mut slots = 0usize..;
                $( row.put(slots.next().unwrap_or_default(), &self.$field); )*
            }
        }
    };
    (@nth) => { 1 };
    (@nth $n:literal) => { $n };
}

pub(crate) use record_type;
