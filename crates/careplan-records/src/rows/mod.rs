//! The record types of every file type (standard §2.4). Field names are English; each field's
//! documentation is the item's Japanese name, which is also what binds it to the layout.

mod deletion;
mod plan;
mod prevention;
mod supplement_info;
mod use_sheet;

pub use deletion::*;
pub use plan::*;
pub use prevention::*;
pub use supplement_info::*;
pub use use_sheet::*;

/// Marks on a row that repeats the row above's 課題 or 目標 by leaving them blank, as the standard
/// lets senders write 第2表 and 介護予防 別表 "帳票出力時のイメージ" (standard §2.4, 第2表 row rules).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS,
)]
#[ts(export, export_to = "records/")]
pub struct Continuation {
    /// The row belongs to the same 課題 as the row above, whose 課題 text it leaves blank.
    pub issue: bool,
    /// The row belongs to the same 目標 as the row above, whose goal texts it leaves blank.
    pub goal: bool,
}
