//! 居宅サービス計画書 第1表 (UP1KYO), 第2表 (UP2KYO) and 第3表 (UP3KYO).

use chrono::NaiveDate;

use super::Continuation;
use crate::record::record_type;
use crate::values::{ClockTime, Coded};

record_type! {
    /// 第1表 居宅サービス計画書(1). 利用者氏名 is not here: it comes from the unit's 利用者補足情報.
    pub struct Plan1Row {
        csv_version: String = "CSVバージョン",
        insurer: String = "保険者番号",
        insured: String = "被保険者番号",
        created_on: NaiveDate = "作成年月日",
        postal_code: String = "利用者郵便番号",
        address1: String = "利用者住所１",
        address2: String = "利用者住所２",
        planner_name: String = "居宅サービス計画作成者氏名",
        office_name: String = "介護支援事業者名",
        office_postal_code: String = "介護支援事業者郵便番号",
        office_address1: String = "介護支援事業者住所１",
        office_address2: String = "介護支援事業者住所２",
        office_number: String = "介護支援事業者コード",
        plan_date: NaiveDate = "居宅サービス計画作成（変更）日",
        first_plan_date: Option<NaiveDate> = "初回居宅サービス計画作成日",
        plan_class: Option<Coded> = "計画書区分",
        certification_status: Option<Coded> = "認定状況区分",
        certified_on: Option<NaiveDate> = "認定日",
        certification_starts_on: Option<NaiveDate> = "認定有効期間開始日",
        certification_ends_on: Option<NaiveDate> = "認定有効期間終了日",
        care_level: Option<Coded> = "要介護状態区分",
        /// Long text; its line breaks are kept as written (`\r\n`).
        assessment_result: String = "利用者及び家族の生活に対する意向を踏まえた課題分析の結果",
        board_opinion: String = "介護認定審査会の意見及びサービスの種類の指定",
        overall_policy: String = "総合的な援助の方針",
        living_support_reason: Option<Coded> = "生活援助中心型の算定理由",
        other_reason: String = "その他理由",
        updater: String = "更新業者コード",
        identifier: String = "識別子",
    }
}

record_type! {
    /// 第2表 居宅サービス計画書(2): one row per 援助内容, in print order.
    pub struct Plan2Row {
        csv_version: String = "CSVバージョン",
        insurer: String = "保険者番号",
        insured: String = "被保険者番号",
        created_on: NaiveDate = "居宅計画書作成年月日",
        plan_date: NaiveDate = "居宅サービス計画作成（変更）日",
        issue_no: Option<i32> = "課題ＮＯ",
        issue: String = "課題",
        goal_no: Option<i32> = "援助目標ＮＯ",
        long_term_goal: String = "長期目標",
        short_term_goal: String = "短期目標",
        long_term_period: String = "長期期間",
        short_term_period: String = "短期期間",
        content_no: Option<i32> = "援助内容ＮＯ",
        service_content: String = "サービス内容",
        /// ※1 保険対象区分.
        insurance_covered: Option<Coded> = "保険対象区分",
        service_type: String = "サービス種別",
        provider_number: String = "サービス事業者コード",
        provider_name: String = "サービス事業所名",
        frequency: String = "頻度",
        period: String = "実施期間",
        updater: String = "更新業者コード",
        identifier: String = "識別子",
    }
    derived {
        /// Whether this row carries the 課題 / 目標 of the row above forward.
        continuation: Continuation,
    }
}

record_type! {
    /// 第3表 週間サービス計画表: a row is a weekly slot, an activity, or a non-weekly service.
    pub struct Plan3Row {
        csv_version: String = "CSVバージョン",
        insurer: String = "保険者番号",
        insured: String = "被保険者番号",
        created_on: NaiveDate = "週間サービス計画表作成年月日",
        plan_date: NaiveDate = "居宅サービス計画作成（変更）日",
        service_content: String = "介護サービス内容",
        weekday: Option<Coded> = "曜日",
        start: Option<ClockTime> = "開始時間",
        end: Option<ClockTime> = "終了時間",
        /// 主な日常生活上の活動.
        activity: String = "主な日常生活上の活動",
        activity_start: Option<ClockTime> = "開始時間" #2,
        activity_end: Option<ClockTime> = "終了時間" #2,
        non_weekly_services: String = "週単位以外のサービス",
    }
}
