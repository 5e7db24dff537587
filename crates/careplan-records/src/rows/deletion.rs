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

/// What a deletion file withdraws, in Japanese (standard §1.1, §3.2), for the forms and `show`.
pub fn withdrawn_by(kind: careplan_spec::FileKind) -> Option<&'static str> {
    use careplan_spec::FileKind as K;
    Some(match kind {
        K::Plan1Delete => {
            "この居宅サービス計画作成（変更）日の居宅サービス計画書（第1表・第2表・第3表）"
        }
        K::UsePlanDelete => "この月のサービス利用票（第6表）と別表（第7表）",
        K::UseActualDelete => "この月の、この事業所・このサービス種類の実績",
        K::KihonDelete => "この相談日の利用者基本情報（別表1・別表2・家族構成の画像を含む）",
        K::YoboDelete => "この計画作成（変更）日の介護予防サービス・支援計画書（別表を含む）",
        _ => return None,
    })
}
