//! The deletion files (DLT…): what each one withdraws.

use chrono::NaiveDate;

use crate::record::record_type;
use crate::values::{Month, ServiceKind};

record_type! {
    /// 第1表の削除: withdraws the plan (第1表・第2表・第3表) of this 作成（変更）日.
    pub struct Plan1DeleteRow {
        csv_version: String = "CSVバージョン",
        insurer: String = "保険者番号",
        insured: String = "被保険者番号",
        plan_date: NaiveDate = "居宅サービス計画作成（変更）日",
    }
}

record_type! {
    /// 第6表の削除: withdraws the month's サービス利用票 (第6表・第7表).
    pub struct UsePlanDeleteRow {
        csv_version: String = "CSVバージョン",
        insurer: String = "保険者番号",
        insured: String = "被保険者番号",
        month: Month = "削除対象年月",
    }
}

record_type! {
    /// 実績情報の削除: withdraws one office's 実績 of one サービス種類 for the month.
    pub struct UseActualDeleteRow {
        csv_version: String = "CSVバージョン",
        insurer: String = "保険者番号",
        insured: String = "被保険者番号",
        month: Month = "削除対象年月",
        provider_number: String = "サービス事業者コード",
        service_kind: ServiceKind = "サービス種類コード",
    }
}

record_type! {
    /// 利用者基本情報の削除 (with its 別表 and picture).
    pub struct BasicInfoDeleteRow {
        csv_version: String = "CSVバージョン",
        insurer: String = "保険者番号",
        insured: String = "被保険者番号",
        consulted_on: NaiveDate = "相談日",
    }
}

record_type! {
    /// 介護予防サービス・支援計画書の削除 (with its 別表).
    pub struct PreventionPlanDeleteRow {
        csv_version: String = "CSVバージョン",
        insurer: String = "保険者番号",
        insured: String = "被保険者番号",
        plan_date: NaiveDate = "計画作成(変更)日",
    }
}
