//! The MHLW care plan data exchange standard (ケアプランデータ連携標準仕様), v4.1 (CSV version 202407)
//! and v3.2 (202208): file names, identifying numbers, CP932 CSV reading, record layouts, send units
//! and diagnostics with stable codes and Japanese messages.
//!
//! Pure: no file or network I/O. Callers hand in names and bytes; [`validate`] says whether the set
//! is a correct send and why not.
//!
//! ```
//! use careplan_spec::{validate, InputFile};
//! let report = validate(&[InputFile { name: "UPKHON_1310000003_46_1370000018_A5_20250401093000.CSV", bytes: b"" }]);
//! assert!(!report.ok);
//! assert_eq!(report.files[0].diagnostics[0].code.as_str(), "name.unknown_prefix");
//! ```

pub mod attachment;
mod content_rules;
pub mod diagnostic;
pub mod file_check;
pub mod filename;
pub mod items;
pub mod layout;
pub mod numbers;
pub mod reader;
pub mod samples;
pub mod time;
pub mod units;
mod validate;
pub mod windows_name;

pub use diagnostic::{Code, Diagnostic, ItemRef, Severity};
pub use filename::{FileKind, FileName, MonthSegment, NameShape, Party};
pub use layout::CsvVersion;
pub use numbers::OfficeNumber;
pub use units::{UnitReport, UnitType};
pub use validate::{validate, FileReport, InputFile, Report};
