//! The typed records of the care plan data exchange standard (ケアプランデータ連携標準仕様 v4.1 and
//! v3.2), for people and programs that need to read what a file says rather than whether it is
//! valid (that is `careplan-spec`).
//!
//! - [`read_file`]: a standard file's rows as named, typed fields ([`rows`]), read through
//!   careplan-spec's layouts, so a record the validator accepts always reads; [`write_file`] gives
//!   the same bytes back.
//! - The forms' views: 第2表 as its hierarchy ([`plan2::plan2_forms`]), 第3表 as the week
//!   ([`plan3::weekly_plans`]), 第6表 as the month's grid ([`grid::use_sheet_grids`]), 第7表's
//!   special rows ([`values::SupplementRowKind`]), what a deletion withdraws
//!   ([`rows::withdrawn_by`]).
//! - [`unit::summarize_units`]: what a send unit is, in words, and whom it is about.
//! - [`opened::open`]: files opened to be read as the forms: each standard file with its form's
//!   views, the units, and why each other file (an attachment, not standard) is not shown.
//! - [`reconcile::reconcile`]: 予実突合 of 予定 and 実績, each side read by [`reconcile::read_side`].
//!
//! Pure: no file or network I/O. The JSON form of every type is documented in
//! `docs/records-json.md`; the TypeScript types are generated into `ui/src/bindings/records/`.

pub mod file;
pub mod grid;
pub mod opened;
pub mod plan2;
pub mod plan3;
pub mod reconcile;
pub mod record;
pub mod rows;
pub mod unit;
pub mod values;

pub use file::{read_file, write_file, FileContent, NotStandard, StandardFile};
pub use opened::{open, Opened, OpenedFile, OtherFile, OtherKind};
pub use reconcile::{read_side, reconcile, ReconcileError, Reconciliation};
pub use unit::{summarize_units, Person, UnitSummary};
