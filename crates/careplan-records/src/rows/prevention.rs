//! 介護予防: 利用者基本情報 (UPKIHON) with 別表1・2, 介護予防サービス・支援計画書 (UPYOBO) with 別表.

use chrono::NaiveDate;

use super::Continuation;
use crate::record::record_type;
use crate::values::Coded;

record_type! {
    /// 利用者基本情報. The four 緊急連絡先 are `emergency_n_…`.
    pub struct BasicInfoRow {
        csv_version: String = "CSVバージョン",
        insurer: String = "保険者番号",
        insured: String = "被保険者番号",
        consulted_on: NaiveDate = "相談日",
        plan_type: Coded = "計画種類",
        consignment: Option<Coded> = "委託の有無",
        author: String = "作成担当者",
        consultation_method: Option<Coded> = "相談方法",
        consultation_method_other: String = "相談方法(その他の内容)",
        consultation_count: Option<Coded> = "相談回数",
        previous_consultation_on: Option<NaiveDate> = "前回相談日",
        situation: Option<Coded> = "利用者の現況",
        situation_note: String = "利用者の現況(状況補足)",
        name_kana: String = "利用者氏名ﾌﾘｶﾞﾅ",
        name: String = "利用者氏名",
        sex: Option<Coded> = "利用者性別",
        birth_date: Option<NaiveDate> = "利用者生年月日",
        address: String = "利用者住所",
        phone: String = "利用者電話番号",
        fax: String = "利用者Fax番号",
        physical_independence: Option<Coded> = "障害高齢者の日常生活自立度",
        dementia_independence: Option<Coded> = "認知症高齢者の日常生活自立度",
        care_level: Option<Coded> = "要介護状態区分",
        certification_starts_on: Option<NaiveDate> = "認定有効期間開始日",
        certification_ends_on: Option<NaiveDate> = "認定有効期間終了日",
        previous_care_level: Option<Coded> = "前回の介護度",
        checklist_result: Option<Coded> = "基本チェックリスト記入結果",
        checklist_on: Option<NaiveDate> = "基本チェックリスト記入日",
        disability_physical: Option<Coded> = "障害等認定(身障)",
        disability_intellectual: Option<Coded> = "障害等認定(療育)",
        disability_mental: Option<Coded> = "障害等認定(精神)",
        disability_intractable: Option<Coded> = "障害等認定(難病)",
        disability_note: String = "障害等認定特記事項",
        dwelling: Option<Coded> = "居住形態",
        room_floor: Option<i32> = "自室の階数",
        home_modification: Option<Coded> = "住宅改修の有無",
        pension_national: Option<Coded> = "経済状況(国民年金)",
        pension_employees: Option<Coded> = "経済状況(厚生年金)",
        pension_disability: Option<Coded> = "経済状況(障害年金)",
        public_assistance: Option<Coded> = "経済状況(生活保護)",
        economic_note: String = "経済状況詳細",
        visitor_name: String = "来所者(相談者)氏名",
        visitor_address: String = "来所者(相談者)住所",
        visitor_phone: String = "来所者(相談者)電話番号",
        visitor_relation: String = "来所者(相談者)続柄",
        emergency_1_name: String = "1 緊急連絡先(氏名)",
        emergency_1_relation: String = "1 緊急連絡先(続柄)",
        emergency_1_address: String = "1 緊急連絡先(住所)",
        emergency_1_phone: String = "1 緊急連絡先(電話番号)",
        emergency_2_name: String = "2 緊急連絡先(氏名)",
        emergency_2_relation: String = "2 緊急連絡先(続柄)",
        emergency_2_address: String = "2 緊急連絡先(住所)",
        emergency_2_phone: String = "2 緊急連絡先(電話番号)",
        emergency_3_name: String = "3 緊急連絡先(氏名)",
        emergency_3_relation: String = "3 緊急連絡先(続柄)",
        emergency_3_address: String = "3 緊急連絡先(住所)",
        emergency_3_phone: String = "3 緊急連絡先(電話番号)",
        emergency_4_name: String = "4 緊急連絡先(氏名)",
        emergency_4_relation: String = "4 緊急連絡先(続柄)",
        emergency_4_address: String = "4 緊急連絡先(住所)",
        emergency_4_phone: String = "4 緊急連絡先(電話番号)",
        /// The name of the unit's UPKIHON_IMAGE file (家族構成).
        family_picture: String = "家族構成 画像ファイル名",
        family_situation: String = "家族関係等の状況",
        life_history: String = "今までの生活",
        daily_life: String = "１日の生活・すごし方(生活全般)",
        hobbies: String = "趣味・楽しみ・特技",
        community: String = "友人・地域との関係",
        public_services: String = "現在利用している公的サービス",
        private_services: String = "現在利用している非公的サービス",
        consented_on: Option<NaiveDate> = "同意日",
        consenting_person: String = "同意者氏名",
    }
}

record_type! {
    /// 利用者基本情報 別表1: 1日の生活・すごし方 (タイムスケジュール).
    pub struct BasicInfoScheduleRow {
        csv_version: String = "CSVバージョン",
        insurer: String = "保険者番号",
        insured: String = "被保険者番号",
        consulted_on: NaiveDate = "相談日",
        /// Free text (the standard's own example writes `6:00`).
        time: String = "時間",
        person: String = "本人の生活状況",
        family: String = "介護者・家族の生活状況",
    }
}

record_type! {
    /// 利用者基本情報 別表2: 現病歴・既往歴.
    pub struct BasicInfoHistoryRow {
        csv_version: String = "CSVバージョン",
        insurer: String = "保険者番号",
        insured: String = "被保険者番号",
        consulted_on: NaiveDate = "相談日",
        /// Free text (`H12年10月`).
        date: String = "年月日",
        disease: String = "病名",
        clinic: String = "医療機関・医師名",
        attending_doctor: Option<Coded> = "主治医・意見作成者フラグ",
        clinic_phone: String = "医療機関・医師電話番号",
        course: Option<Coded> = "経過",
        treatment: String = "治療中の内容",
    }
}

record_type! {
    /// 介護予防サービス・支援計画書.
    pub struct PreventionPlanRow {
        csv_version: String = "CSVバージョン",
        insurer: String = "保険者番号",
        insured: String = "被保険者番号",
        plan_date: NaiveDate = "計画作成(変更)日",
        plan_type: Coded = "計画種類",
        consignment: Option<Coded> = "委託の有無",
        reference_number: String = "整理番号",
        name: String = "利用者名",
        certified_on: Option<NaiveDate> = "認定年月日",
        certification_starts_on: Option<NaiveDate> = "認定有効期間開始日",
        certification_ends_on: Option<NaiveDate> = "認定有効期間終了日",
        plan_class: Option<Coded> = "計画書区分",
        certification_status: Option<Coded> = "認定状況区分",
        support_level: Option<Coded> = "要支援状態区分",
        center_staff: String = "計画作成者氏名（地域包括支援センター担当者名）",
        care_manager: String = "計画作成者氏名（担当介護支援専門員名）",
        office_name: String = "計画作成者事業者・事業所名",
        office_address: String = "計画作成者事業者・事業所住所",
        office_phone: String = "計画作成者事業者・事業所電話番号",
        first_plan_date: Option<NaiveDate> = "初回作成日",
        center: String = "担当地域包括支援センター",
        daily_goal: String = "目標とする生活(1日)",
        yearly_goal: String = "目標とする生活(1年)",
        mobility_situation: String = "【運動・移動】現在の状況",
        mobility_wishes: String = "【運動・移動】本人・家族の意欲・意向",
        mobility_has_issue: Option<Coded> = "【運動・移動】領域における課題の有無",
        mobility_issue: String = "【運動・移動】領域における課題（背景・原因）",
        household_situation: String = "【日常生活(家庭生活)】現在の状況",
        household_wishes: String = "【日常生活(家庭生活)】本人・家族の意欲・意向",
        household_has_issue: Option<Coded> = "【日常生活(家庭生活)】領域における課題の有無",
        household_issue: String = "【日常生活(家庭生活)】領域における課題（背景・原因）",
        social_situation: String = "【社会参加、対人関係・コミュニケーション】現在の状況",
        social_wishes: String = "【社会参加、対人関係・コミュニケーション】本人・家族の意欲・意向",
        social_has_issue: Option<Coded> = "【社会参加、対人関係・コミュニケーション】領域における課題の有無",
        social_issue: String = "【社会参加、対人関係・コミュニケーション】領域における課題（背景・原因）",
        health_situation: String = "【健康管理】現在の状況",
        health_wishes: String = "【健康管理】本人・家族の意欲・意向",
        health_has_issue: Option<Coded> = "【健康管理】領域における課題の有無",
        health_issue: String = "【健康管理】領域における課題（背景・原因）",
        health_notes: String = "健康状態の留意点",
        support_policy: String = "妥当な支援の実施に向けた方針",
        overall_policy: String = "総合的な方針",
        checklist_exercise: Option<i32> = "基本チェックリストの該当数(運動不足)",
        checklist_nutrition: Option<i32> = "基本チェックリストの該当数(栄養改善)",
        checklist_oral_care: Option<i32> = "基本チェックリストの該当数(口腔内ケア)",
        checklist_withdrawal: Option<i32> = "基本チェックリストの該当数(閉じこもり予防)",
        checklist_memory: Option<i32> = "基本チェックリストの該当数(物忘れ予防)",
        checklist_depression: Option<i32> = "基本チェックリストの該当数(うつ予防)",
        program_exercise: Option<Coded> = "事業プログラムの要否(運動不足)",
        program_nutrition: Option<Coded> = "事業プログラムの要否(栄養改善)",
        program_oral_care: Option<Coded> = "事業プログラムの要否(口腔内ケア)",
        program_withdrawal: Option<Coded> = "事業プログラムの要否(閉じこもり予防)",
        program_memory: Option<Coded> = "事業プログラムの要否(物忘れ予防)",
        program_depression: Option<Coded> = "事業プログラムの要否(うつ予防)",
        center_opinion: String = "地域包括支援センター意見",
        consented_on: Option<NaiveDate> = "同意日",
        consenting_person: String = "同意者氏名",
    }
}

record_type! {
    /// 介護予防サービス・支援計画書 別表 (支援計画): continuation rows leave 課題 blank, as 第2表.
    pub struct PreventionPlanDetailRow {
        csv_version: String = "CSVバージョン",
        insurer: String = "保険者番号",
        insured: String = "被保険者番号",
        plan_date: NaiveDate = "計画作成(変更)日",
        issue_no: Option<i32> = "課題ＮＯ",
        overall_issue: String = "総合的課題",
        proposal: String = "課題に対する目標と具体策の提案",
        wishes: String = "具体策についての意向本人・家族",
        goal: String = "目標",
        support_no: Option<i32> = "支援計画ＮＯ",
        support_points: String = "【支援計画】目標についての支援のポイント",
        self_care: String = "【支援計画】本人等のセルフケアや家族の支援、インフォーマルサービス（民間サービス）",
        insured_services: String = "【支援計画】介護保険サービス又は地域支援事業（総合事業のサービス）",
        use_no: Option<i32> = "利用サービスＮＯ",
        use_service_type: String = "【利用サービス】サービス種別",
        use_office: String = "【利用サービス】事業所(利用先)",
        use_period: String = "【利用サービス】期間",
    }
    derived {
        continuation: Continuation,
    }
}
