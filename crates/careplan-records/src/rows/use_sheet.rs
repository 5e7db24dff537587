//! 第6表 サービス利用票 (UPPLAN, 予定) and 実績情報 (UPJSK), and 第7表 サービス利用票別表 (UPSIKYU).

use chrono::NaiveDate;

use crate::record::record_type;
use crate::values::{ClockTime, Coded, DayFlags, Month, ServiceCode, SupplementCode, UnitPrice};

record_type! {
    /// 第6表: one record per サービスコード × サービス利用日 (the form's 31 day columns are
    /// [`crate::grid::UseSheetGrid`]).
    pub struct UseSheetRow {
        csv_version: String = "CSVバージョン",
        insurer: String = "保険者番号",
        insured: String = "被保険者番号",
        created_on: NaiveDate = "作成年月日",
        month: Month = "対象年月",
        planner_number: String = "プラン担当業者コード",
        planner_name: String = "プラン担当者名",
        /// After discounts (割引後).
        units: Option<i32> = "単位数",
        short_stay_days_before: Option<i32> = "前月までの短期入所利用日数",
        service_date: NaiveDate = "サービス利用日",
        /// `None` when the service is not claimed by the day (日割).
        day_rate_days: Option<DayFlags> = "日割対象日",
        /// `None`: `9999`, a service without a time (most 加算).
        start: Option<ClockTime> = "サービス開始時刻",
        end: Option<ClockTime> = "サービス終了時刻",
        count: i32 = "サービス回数",
        service_code: ServiceCode = "サービスコード",
        /// Empty in v3.2 files, which have no such item.
        tais_code: String = "TAISコード",
        equipment_code: String = "福祉用具届出コード",
        equipment_name: String = "用具名称（機種名）",
        detail_code: String = "明細判別コード",
        provider_number: String = "サービス事業者コード",
        provider_name: String = "サービス事業所名",
        satellite: String = "サテライト枝番",
        over_30_days: Coded = "３０日超区分",
        updater: String = "更新業者コード",
        identifier: String = "識別子",
    }
}

record_type! {
    /// 第7表: service rows, 小計 rows (`<種類>AAAA`, `EEEE`, `ZZZZ`) and the 全合計 row (`999999`);
    /// `service_code.row` says which.
    pub struct SupplementRow {
        csv_version: String = "CSVバージョン",
        insurer: String = "保険者番号",
        insured: String = "被保険者番号",
        created_on: NaiveDate = "作成年月日",
        month: Month = "対象年月",
        provider_name: String = "サービス事業所名",
        /// `9999999999` on the 全合計 row.
        provider_number: String = "サービス事業所コード",
        satellite: String = "サテライト枝番",
        service_code: SupplementCode = "サービスコード",
        tais_code: String = "TAISコード",
        equipment_code: String = "福祉用具届出コード",
        equipment_name: String = "用具名称（機種名）",
        units: i32 = "単位数",
        discount_rate: Option<i32> = "割引後率",
        discounted_units: Option<i32> = "割引後単位数",
        count: Option<i32> = "回数／日数",
        unit_amount: Option<i32> = "サービス単位金額",
        benefit_units: Option<i32> = "給付管理単位数",
        kind_over_units: Option<i32> = "種類支給限度基準超単位",
        kind_within_units: Option<i32> = "種類支給限度基準内単位",
        category_over_units: Option<i32> = "区分支給限度基準超単位",
        category_within_units: Option<i32> = "区分支給限度基準内単位",
        unit_price: Option<UnitPrice> = "単位数単価",
        total_cost: Option<i32> = "費用総額保険／事業対象分",
        benefit_rate: Option<i32> = "給付率",
        claim_amount: Option<i32> = "保険／事業費請求額",
        fixed_copay_unit_price: Option<i32> = "定額利用者負担単価金額",
        copay: Option<i32> = "利用者負担保険／事業対象分",
        full_copay: Option<i32> = "利用者負担（全額負担分）",
        days_before: Option<i32> = "前月までの利用日数",
        planned_days: Option<i32> = "当月の計画利用日数",
        cumulative_days: Option<i32> = "累積利用日数",
        over_30_days: Option<Coded> = "３０日超区分",
        office_code: String = "事業所コード",
        entered_by: String = "入力者コード",
        updater: String = "更新業者コード",
        identifier: String = "識別子",
    }
}
