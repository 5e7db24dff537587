//! The relay's tests use the one test relay of careplan-test-support.
#![allow(unused_imports)]

pub use careplan_test_support::fixtures::fixture_files;
pub use careplan_test_support::https::{
    login_on_terminal, login_with, manifest_form, ok_json, personal_stage, send_form, ApiUrl,
    CertFiles, Endpoint,
};
pub use careplan_test_support::{
    temp_dir, DemoOfficeSeed, TestRelay, CARE_MANAGER, DAY_SERVICE, HOME_HELP, PASSWORD,
    WELFARE_EQUIPMENT,
};
