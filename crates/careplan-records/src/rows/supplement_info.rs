//! 利用者補足情報 (UPHOSOKU).

use chrono::NaiveDate;

use crate::record::record_type;
use crate::values::{Coded, Month, ServiceKind};

record_type! {
    /// 利用者補足情報: the person's name, address and certification, and the 限度額 of each
    /// サービス種類 in nine slots (slot n's items are `kind_n_…`; slots fill from 1).
    pub struct SupplementInfoRow {
        csv_version: String = "CSVバージョン",
        insurer: String = "保険者番号",
        insured: String = "被保険者番号",
        /// `None` (`00000000`) when tied to 第6・7表.
        plan_date: Option<NaiveDate> = "居宅サービス計画作成（変更）日",
        name_kana: String = "利用者氏名フリガナ",
        name: String = "利用者氏名",
        sex: Option<Coded> = "利用者性別",
        birth_date: Option<NaiveDate> = "利用者生年月日",
        postal_code: String = "利用者郵便番号",
        address1: String = "利用者住所１",
        address2: String = "利用者住所２",
        phone: String = "利用者電話番号",
        certified_on: Option<NaiveDate> = "認定日",
        limit_starts_on: Option<NaiveDate> = "限度額適用開始年月日",
        limit_ends_on: Option<NaiveDate> = "限度額適用終了年月日",
        certification_status: Option<Coded> = "認定状況区分",
        care_level_changed_on: Option<NaiveDate> = "要介護状態変更日",
        care_level: Option<Coded> = "要介護状態区分",
        benefit_limit: Option<i32> = "区分支給限度基準額",
        kind_1_code: Option<ServiceKind> = "１サービス種類コード",
        kind_1_limit: Option<i32> = "１支給限度基準額",
        kind_1_units: Option<i32> = "１合計単位数",
        kind_1_over_units: Option<i32> = "１限度超単位数",
        kind_2_code: Option<ServiceKind> = "２サービス種類コード",
        kind_2_limit: Option<i32> = "２支給限度基準額",
        kind_2_units: Option<i32> = "２合計単位数",
        kind_2_over_units: Option<i32> = "２限度超単位数",
        kind_3_code: Option<ServiceKind> = "３サービス種類コード",
        kind_3_limit: Option<i32> = "３支給限度基準額",
        kind_3_units: Option<i32> = "３合計単位数",
        kind_3_over_units: Option<i32> = "３限度超単位数",
        kind_4_code: Option<ServiceKind> = "４サービス種類コード",
        kind_4_limit: Option<i32> = "４支給限度基準額",
        kind_4_units: Option<i32> = "４合計単位数",
        kind_4_over_units: Option<i32> = "４限度超単位数",
        kind_5_code: Option<ServiceKind> = "５サービス種類コード",
        kind_5_limit: Option<i32> = "５支給限度基準額",
        kind_5_units: Option<i32> = "５合計単位数",
        kind_5_over_units: Option<i32> = "５限度超単位数",
        kind_6_code: Option<ServiceKind> = "６サービス種類コード",
        kind_6_limit: Option<i32> = "６支給限度基準額",
        kind_6_units: Option<i32> = "６合計単位数",
        kind_6_over_units: Option<i32> = "６限度超単位数",
        kind_7_code: Option<ServiceKind> = "７サービス種類コード",
        kind_7_limit: Option<i32> = "７支給限度基準額",
        kind_7_units: Option<i32> = "７合計単位数",
        kind_7_over_units: Option<i32> = "７限度超単位数",
        kind_8_code: Option<ServiceKind> = "８サービス種類コード",
        kind_8_limit: Option<i32> = "８支給限度基準額",
        kind_8_units: Option<i32> = "８合計単位数",
        kind_8_over_units: Option<i32> = "８限度超単位数",
        kind_9_code: Option<ServiceKind> = "９サービス種類コード",
        kind_9_limit: Option<i32> = "９支給限度基準額",
        kind_9_units: Option<i32> = "９合計単位数",
        kind_9_over_units: Option<i32> = "９限度超単位数",
        total_over_units: Option<i32> = "合計限度超単位数",
        days_before_admission: Option<i32> = "入所前月迄利用日数",
        cumulative_admission_days: Option<i32> = "入所累積利用日数",
        previous_care_level: Option<Coded> = "前回要介護状態区分",
        consent_received_by: String = "同意書受付業者",
        updater: String = "更新業者コード",
        identifier: String = "識別子",
        /// `None` (`000000`) when tied to 第1・2表.
        month: Option<Month> = "対象年月",
    }
}

/// One filled slot of サービス種類別の限度額.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
#[ts(export, export_to = "records/")]
pub struct KindLimit {
    /// 1–9.
    pub slot: u8,
    pub kind: Option<ServiceKind>,
    pub limit: Option<i32>,
    pub units: Option<i32>,
    pub over_units: Option<i32>,
}

impl SupplementInfoRow {
    /// The filled slots of サービス種類別の限度額, in slot order.
    pub fn kind_limits(&self) -> Vec<KindLimit> {
        let slots = [
            (
                &self.kind_1_code,
                self.kind_1_limit,
                self.kind_1_units,
                self.kind_1_over_units,
            ),
            (
                &self.kind_2_code,
                self.kind_2_limit,
                self.kind_2_units,
                self.kind_2_over_units,
            ),
            (
                &self.kind_3_code,
                self.kind_3_limit,
                self.kind_3_units,
                self.kind_3_over_units,
            ),
            (
                &self.kind_4_code,
                self.kind_4_limit,
                self.kind_4_units,
                self.kind_4_over_units,
            ),
            (
                &self.kind_5_code,
                self.kind_5_limit,
                self.kind_5_units,
                self.kind_5_over_units,
            ),
            (
                &self.kind_6_code,
                self.kind_6_limit,
                self.kind_6_units,
                self.kind_6_over_units,
            ),
            (
                &self.kind_7_code,
                self.kind_7_limit,
                self.kind_7_units,
                self.kind_7_over_units,
            ),
            (
                &self.kind_8_code,
                self.kind_8_limit,
                self.kind_8_units,
                self.kind_8_over_units,
            ),
            (
                &self.kind_9_code,
                self.kind_9_limit,
                self.kind_9_units,
                self.kind_9_over_units,
            ),
        ];
        slots
            .into_iter()
            .enumerate()
            .filter(|(_, (kind, limit, units, over))| {
                kind.is_some() || limit.is_some() || units.is_some() || over.is_some()
            })
            .map(|(i, (kind, limit, units, over_units))| KindLimit {
                slot: i as u8 + 1,
                kind: kind.clone(),
                limit,
                units,
                over_units,
            })
            .collect()
    }
}
