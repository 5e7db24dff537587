//! Code tables (standard §2.5 【コード表】 and the 選択肢 of each layout).

/// The values an item may take, each with its Japanese meaning.
#[derive(Debug)]
pub struct CodeTable {
    pub entries: &'static [(&'static str, &'static str)],
}

impl CodeTable {
    pub fn contains(&self, value: &str) -> bool {
        self.entries.iter().any(|(code, _)| *code == value)
    }

    /// `1（男性）・2（女性）`, for messages.
    pub fn describe(&self) -> String {
        self.entries
            .iter()
            .map(|(code, meaning)| format!("{code}（{meaning}）"))
            .collect::<Vec<_>>()
            .join("・")
    }
}

pub static SEX: CodeTable = CodeTable {
    entries: &[("1", "男性"), ("2", "女性")],
};
pub static CERTIFICATION_STATUS: CodeTable = CodeTable {
    entries: &[("1", "申請中"), ("2", "認定済")],
};
/// 要介護状態区分 of 補足 and the plans.
pub static CARE_LEVEL: CodeTable = CodeTable {
    entries: &[
        ("06", "事業対象者"),
        ("12", "要支援１"),
        ("13", "要支援２"),
        ("21", "要介護１"),
        ("22", "要介護２"),
        ("23", "要介護３"),
        ("24", "要介護４"),
        ("25", "要介護５"),
    ],
};
/// 要介護状態区分 of 利用者基本情報: `01` 非該当 instead of `06`.
pub static BASIC_CARE_LEVEL: CodeTable = CodeTable {
    entries: &[
        ("01", "非該当"),
        ("12", "要支援１"),
        ("13", "要支援２"),
        ("21", "要介護１"),
        ("22", "要介護２"),
        ("23", "要介護３"),
        ("24", "要介護４"),
        ("25", "要介護５"),
    ],
};
/// 要支援状態区分 of 介護予防サービス・支援計画書: a list of its own.
pub static SUPPORT_LEVEL: CodeTable = CodeTable {
    entries: &[("1", "要支援１"), ("2", "要支援２"), ("3", "地域支援事業")],
};
pub static PLAN_CLASS: CodeTable = CodeTable {
    entries: &[
        ("11", "初回"),
        ("12", "紹介"),
        ("21", "継続"),
        ("51", "初回＆紹介"),
        ("52", "初回＆継続"),
        ("53", "紹介＆継続"),
        ("54", "初回＆紹介＆継続"),
    ],
};
pub static LIVING_SUPPORT_REASON: CodeTable = CodeTable {
    entries: &[
        ("1", "一人暮らし"),
        ("2", "家族等が障害、疾病等"),
        ("3", "その他"),
    ],
};
pub static INSURANCE_COVERED: CodeTable = CodeTable {
    entries: &[("Y", "対象"), ("N", "対象外")],
};
pub static WEEKDAY: CodeTable = CodeTable {
    entries: &[
        ("1", "月"),
        ("2", "火"),
        ("3", "水"),
        ("4", "木"),
        ("5", "金"),
        ("6", "土"),
        ("7", "日"),
    ],
};
pub static OVER_30_DAYS: CodeTable = CodeTable {
    entries: &[("1", "該当"), ("0", "非該当")],
};
pub static PREVENTION_PLAN_TYPE: CodeTable = CodeTable {
    entries: &[("1", "介護予防支援"), ("2", "介護予防ケアマネジメント")],
};
pub static CONSIGNMENT: CodeTable = CodeTable {
    entries: &[("1", "自前"), ("2", "委託")],
};
pub static CONSULTATION_METHOD: CodeTable = CodeTable {
    entries: &[("01", "来所"), ("02", "電話"), ("03", "その他")],
};
pub static CONSULTATION_COUNT: CodeTable = CodeTable {
    entries: &[("01", "初回"), ("02", "再来")],
};
pub static CURRENT_SITUATION: CodeTable = CodeTable {
    entries: &[("01", "在宅"), ("02", "入院又は入所中")],
};
pub static PHYSICAL_INDEPENDENCE: CodeTable = CodeTable {
    entries: &[
        ("01", "自立"),
        ("11", "J1"),
        ("12", "J2"),
        ("21", "A1"),
        ("22", "A2"),
        ("31", "B1"),
        ("32", "B2"),
        ("41", "C1"),
        ("42", "C2"),
    ],
};
pub static DEMENTIA_INDEPENDENCE: CodeTable = CodeTable {
    entries: &[
        ("01", "自立"),
        ("02", "Ⅰ"),
        ("03", "Ⅱａ"),
        ("04", "Ⅱｂ"),
        ("05", "Ⅲａ"),
        ("06", "Ⅲｂ"),
        ("07", "Ⅳ"),
        ("08", "Ｍ"),
    ],
};
pub static CHECKLIST_RESULT: CodeTable = CodeTable {
    entries: &[("1", "事業対象者の該当あり"), ("2", "事業対象者の該当なし")],
};
pub static APPLIES: CodeTable = CodeTable {
    entries: &[("1", "該当"), ("0", "非該当")],
};
pub static DWELLING: CodeTable = CodeTable {
    entries: &[
        ("01", "自宅"),
        ("02", "借家"),
        ("03", "一戸建て"),
        ("04", "集合住宅"),
        ("05", "自宅・一戸建て"),
        ("06", "自宅・集合住宅"),
        ("07", "借家・一戸建て"),
        ("08", "借家・集合住宅"),
    ],
};
pub static PRESENCE: CodeTable = CodeTable {
    entries: &[("1", "有"), ("2", "無")],
};
pub static ATTENDING_DOCTOR: CodeTable = CodeTable {
    entries: &[("1", "主治医"), ("2", "それ以外")],
};
pub static COURSE: CodeTable = CodeTable {
    entries: &[("01", "治療中"), ("02", "経過観察中"), ("03", "その他")],
};
pub static HAS_ISSUE: CodeTable = CodeTable {
    entries: &[("1", "有"), ("2", "無")],
};
pub static PROGRAM_NEEDED: CodeTable = CodeTable {
    entries: &[("1", "要"), ("2", "否")],
};
