//! What the test suites share, so that each piece of set-up exists once:
//!
//! - [`relay`]: one test relay. A builder starts a relay on a free port of 127.0.0.1 with the demo
//!   register (chosen offices, optionally the demo's received items, chosen limits), on SQLite in a
//!   temporary folder, or on the PostgreSQL server in `DATABASE_URL` and the S3 bucket in
//!   `BLOB_STORE_URL` when they are set (a fresh database and prefix per relay); and clients for any
//!   office: the client library's, logged in in one call, or a raw HTTPS client for API tests.
//! - [`https`]: raw HTTPS requests against a relay (in this process or a `careplan-relay` process).
//! - [`fixtures`]: the repository's fixture files.
//! - [`raw`]: HTTP/1.1 by hand over mutual TLS, for the hostile clients of the hardening tests.
//! - [`relay_process`]: the relay as a process of its own, with its peak memory.
//! - [`processes`]: child processes in their own process group, killed with all their children when
//!   the test ends, passes, fails or panics.
//! - [`temp_dir`]: temporary folders that the next test run removes.

pub mod fixtures;
pub mod https;
pub mod processes;
pub mod raw;
pub mod relay;
pub mod relay_process;
mod temp;

pub use relay::{OwnRuntime, TestRelay, TestRelayBuilder, PASSWORD};
pub use temp::{temp_dir, tests_root};

/// The demo register's offices, passwords and demo data, as the relay seeds them.
pub use careplan_relay::demo::{
    DemoOffice, DemoOfficeSeed, CARE_MANAGER, DAY_SERVICE, HOME_HELP, WELFARE_EQUIPMENT,
};
