//! The v4.1 (CSV version 202407) layouts, transcribed from the layout book (S2; see standard.md §2.4).
//!
//! Leniency where the text copy of the layout book is misaligned:
//! - 必須 flags: only items whose ○ is unambiguous are required (the three keys, the dates and months
//!   that join files, and the columns of 第6表 the book explains as required).
//! - 第6表 No.19 明細判別コード: its length is illegible; two digits, as importers read it.
//! - 第7表 No.14–18 and 30–35: lengths partly illegible; the widest reading is used (No.30 is 5, as
//!   v3.2 widened it; No.17 サービス単位金額 is taken as 6). No.16 回数／日数 is not required (see there).
//! - 予防 No.43–48 基本チェックリストの該当数: the book shows 1; two digits are allowed.
//! - 更新業者コード and 第7表's 事業所コード / 入力者コード are plain 10-character text: one of them is
//!   fixed at `9999999999` and which one is illegible.

use super::codes::*;
use super::Format::*;
use super::{free, opt, req, ItemSpec};
use crate::filename::FileKind;

const VERSION: ItemSpec = req("CSVバージョン", Version, 6);
const INSURER: ItemSpec = req("保険者番号", Insurer, 6);
const INSURED: ItemSpec = req("被保険者番号", Insured, 10);
const UPDATER: ItemSpec = opt("更新業者コード", Text, 10);
const IDENTIFIER: ItemSpec = opt("識別子", Text, 1);

pub(super) fn items(kind: FileKind) -> Option<&'static [ItemSpec]> {
    Some(match kind {
        FileKind::Hosoku => HOSOKU,
        FileKind::Plan1 => PLAN1,
        FileKind::Plan2 => PLAN2,
        FileKind::Plan3 => PLAN3,
        FileKind::Plan1Delete => PLAN1_DELETE,
        FileKind::UsePlan | FileKind::UseActual => USE_SHEET,
        FileKind::UsePlanDelete => USE_PLAN_DELETE,
        FileKind::UseActualDelete => USE_ACTUAL_DELETE,
        FileKind::UseSupplement => USE_SUPPLEMENT,
        FileKind::Kihon => KIHON,
        FileKind::KihonSub1 => KIHON_SUB1,
        FileKind::KihonSub2 => KIHON_SUB2,
        FileKind::KihonDelete => KIHON_DELETE,
        FileKind::Yobo => YOBO,
        FileKind::YoboSub => YOBO_SUB,
        FileKind::YoboDelete => YOBO_DELETE,
        FileKind::KihonImage => return None,
    })
}

/// 利用者補足情報 (63 items).
static HOSOKU: &[ItemSpec] = &[
    VERSION,
    INSURER,
    INSURED,
    req("居宅サービス計画作成（変更）日", DateOrZero, 8),
    free("利用者氏名フリガナ"),
    free("利用者氏名"),
    opt("利用者性別", Code(&SEX), 1),
    opt("利用者生年月日", Date, 8),
    opt("利用者郵便番号", Postal, 8),
    free("利用者住所１"),
    free("利用者住所２"),
    opt("利用者電話番号", Text, 15),
    opt("認定日", Date, 8),
    opt("限度額適用開始年月日", Date, 8),
    opt("限度額適用終了年月日", Date, 8),
    opt("認定状況区分", Code(&CERTIFICATION_STATUS), 1),
    opt("要介護状態変更日", Date, 8),
    opt("要介護状態区分", Code(&CARE_LEVEL), 2),
    opt("区分支給限度基準額", Integer, 7),
    opt("１サービス種類コード", ServiceKind, 2),
    opt("１支給限度基準額", Integer, 7),
    opt("１合計単位数", Integer, 7),
    opt("１限度超単位数", Integer, 7),
    opt("２サービス種類コード", ServiceKind, 2),
    opt("２支給限度基準額", Integer, 7),
    opt("２合計単位数", Integer, 7),
    opt("２限度超単位数", Integer, 7),
    opt("３サービス種類コード", ServiceKind, 2),
    opt("３支給限度基準額", Integer, 7),
    opt("３合計単位数", Integer, 7),
    opt("３限度超単位数", Integer, 7),
    opt("４サービス種類コード", ServiceKind, 2),
    opt("４支給限度基準額", Integer, 7),
    opt("４合計単位数", Integer, 7),
    opt("４限度超単位数", Integer, 7),
    opt("５サービス種類コード", ServiceKind, 2),
    opt("５支給限度基準額", Integer, 7),
    opt("５合計単位数", Integer, 7),
    opt("５限度超単位数", Integer, 7),
    opt("６サービス種類コード", ServiceKind, 2),
    opt("６支給限度基準額", Integer, 7),
    opt("６合計単位数", Integer, 7),
    opt("６限度超単位数", Integer, 7),
    opt("７サービス種類コード", ServiceKind, 2),
    opt("７支給限度基準額", Integer, 7),
    opt("７合計単位数", Integer, 7),
    opt("７限度超単位数", Integer, 7),
    opt("８サービス種類コード", ServiceKind, 2),
    opt("８支給限度基準額", Integer, 7),
    opt("８合計単位数", Integer, 7),
    opt("８限度超単位数", Integer, 7),
    opt("９サービス種類コード", ServiceKind, 2),
    opt("９支給限度基準額", Integer, 7),
    opt("９合計単位数", Integer, 7),
    opt("９限度超単位数", Integer, 7),
    opt("合計限度超単位数", Integer, 7),
    opt("入所前月迄利用日数", Integer, 5),
    opt("入所累積利用日数", Integer, 5),
    opt("前回要介護状態区分", Code(&CARE_LEVEL), 2),
    opt("同意書受付業者", Office, 10),
    UPDATER,
    IDENTIFIER,
    req("対象年月", YearMonthOrZero, 6),
];

/// 居宅サービス計画書 第1表 (28 items). 利用者氏名 is not here: it comes from 利用者補足情報.
static PLAN1: &[ItemSpec] = &[
    VERSION,
    INSURER,
    INSURED,
    req("作成年月日", Date, 8),
    opt("利用者郵便番号", Postal, 8),
    free("利用者住所１"),
    free("利用者住所２"),
    free("居宅サービス計画作成者氏名"),
    free("介護支援事業者名"),
    opt("介護支援事業者郵便番号", Postal, 8),
    free("介護支援事業者住所１"),
    free("介護支援事業者住所２"),
    opt("介護支援事業者コード", Office, 10),
    // The key that joins 第2表, 第3表 and 利用者補足情報 to this plan.
    req("居宅サービス計画作成（変更）日", Date, 8),
    opt("初回居宅サービス計画作成日", Date, 8),
    opt("計画書区分", Code(&PLAN_CLASS), 2),
    opt("認定状況区分", Code(&CERTIFICATION_STATUS), 1),
    opt("認定日", Date, 8),
    opt("認定有効期間開始日", Date, 8),
    opt("認定有効期間終了日", Date, 8),
    opt("要介護状態区分", Code(&CARE_LEVEL), 2),
    free("利用者及び家族の生活に対する意向を踏まえた課題分析の結果"),
    free("介護認定審査会の意見及びサービスの種類の指定"),
    free("総合的な援助の方針"),
    opt("生活援助中心型の算定理由", Code(&LIVING_SUPPORT_REASON), 1),
    free("その他理由"),
    UPDATER,
    IDENTIFIER,
];

/// 居宅サービス計画書 第2表 (22 items), one row per 援助内容; 課題 and 目標 may be blank on
/// continuation rows.
static PLAN2: &[ItemSpec] = &[
    VERSION,
    INSURER,
    INSURED,
    req("居宅計画書作成年月日", Date, 8),
    req("居宅サービス計画作成（変更）日", Date, 8),
    opt("課題ＮＯ", Digits, 2),
    free("課題"),
    opt("援助目標ＮＯ", Digits, 2),
    free("長期目標"),
    free("短期目標"),
    free("長期期間"),
    free("短期期間"),
    opt("援助内容ＮＯ", Digits, 2),
    free("サービス内容"),
    opt("保険対象区分", Code(&INSURANCE_COVERED), 1),
    free("サービス種別"),
    opt("サービス事業者コード", Office, 10),
    free("サービス事業所名"),
    free("頻度"),
    free("実施期間"),
    UPDATER,
    IDENTIFIER,
];

/// 週間サービス計画表 第3表 (13 items; new in v4.0).
static PLAN3: &[ItemSpec] = &[
    VERSION,
    INSURER,
    INSURED,
    req("週間サービス計画表作成年月日", Date, 8),
    req("居宅サービス計画作成（変更）日", Date, 8),
    free("介護サービス内容"),
    opt("曜日", Code(&WEEKDAY), 1),
    opt("開始時間", Time, 4),
    opt("終了時間", Time, 4),
    free("主な日常生活上の活動"),
    opt("開始時間", Time, 4),
    opt("終了時間", Time, 4),
    free("週単位以外のサービス"),
];

/// 第1表の削除 (all items required).
static PLAN1_DELETE: &[ItemSpec] = &[
    VERSION,
    INSURER,
    INSURED,
    req("居宅サービス計画作成（変更）日", Date, 8),
];

/// 第6表 サービス利用票 and 実績情報 (25 items): one record per サービスコード × サービス利用日,
/// never a grid of 31 day columns.
static USE_SHEET: &[ItemSpec] = &[
    VERSION,
    INSURER,
    INSURED,
    req("作成年月日", Date, 8),
    req("対象年月", YearMonth, 6),
    opt("プラン担当業者コード", Office, 10),
    free("プラン担当者名"),
    opt("単位数", Integer, 6),
    opt("前月までの短期入所利用日数", Integer, 5),
    req("サービス利用日", Date, 8),
    opt("日割対象日", DayFlags, 31),
    req("サービス開始時刻", Time, 4),
    req("サービス終了時刻", Time, 4),
    req("サービス回数", Digits, 2),
    req("サービスコード", ServiceCode, 6),
    opt("TAISコード", Text, 12),
    opt("福祉用具届出コード", Text, 12),
    free("用具名称（機種名）"),
    opt("明細判別コード", Digits, 2),
    req("サービス事業者コード", Office, 10),
    free("サービス事業所名"),
    opt("サテライト枝番", Digits, 2),
    req("３０日超区分", Code(&OVER_30_DAYS), 1),
    UPDATER,
    IDENTIFIER,
];

/// 第6表の削除 (all items required).
static USE_PLAN_DELETE: &[ItemSpec] =
    &[VERSION, INSURER, INSURED, req("削除対象年月", YearMonth, 6)];

/// 実績情報の削除 (all items required).
static USE_ACTUAL_DELETE: &[ItemSpec] = &[
    VERSION,
    INSURER,
    INSURED,
    req("削除対象年月", YearMonth, 6),
    req("サービス事業者コード", Office, 10),
    req("サービス種類コード", ServiceKind, 2),
];

/// 第7表 サービス利用票別表 (37 items).
static USE_SUPPLEMENT: &[ItemSpec] = &[
    VERSION,
    INSURER,
    INSURED,
    req("作成年月日", Date, 8),
    req("対象年月", YearMonth, 6),
    free("サービス事業所名"),
    req("サービス事業所コード", OfficeOrAllNines, 10),
    opt("サテライト枝番", Digits, 2),
    req("サービスコード", SummaryServiceCode, 6),
    opt("TAISコード", Text, 12),
    opt("福祉用具届出コード", Text, 12),
    free("用具名称（機種名）"),
    req("単位数", Integer, 6),
    opt("割引後率", Integer, 5),
    opt("割引後単位数", Integer, 6),
    // Required on service rows (content_rules checks it there); whether 小計 and 全合計 rows carry it
    // is illegible in the book, so the layout does not require it rather than refuse correct totals.
    opt("回数／日数", Integer, 3),
    opt("サービス単位金額", Integer, 6),
    opt("給付管理単位数", Integer, 6),
    opt("種類支給限度基準超単位", Integer, 6),
    opt("種類支給限度基準内単位", Integer, 6),
    opt("区分支給限度基準超単位", Integer, 6),
    opt("区分支給限度基準内単位", Integer, 6),
    opt("単位数単価", Decimal, 5),
    opt("費用総額保険／事業対象分", Integer, 6),
    opt("給付率", Integer, 6),
    opt("保険／事業費請求額", Integer, 6),
    opt("定額利用者負担単価金額", Integer, 6),
    opt("利用者負担保険／事業対象分", Integer, 6),
    opt("利用者負担（全額負担分）", Integer, 6),
    opt("前月までの利用日数", Integer, 5),
    opt("当月の計画利用日数", Integer, 2),
    opt("累積利用日数", Integer, 5),
    opt("３０日超区分", Code(&OVER_30_DAYS), 1),
    opt("事業所コード", Text, 10),
    opt("入力者コード", Text, 10),
    UPDATER,
    IDENTIFIER,
];

/// 利用者基本情報 (71 items; 介護予防).
static KIHON: &[ItemSpec] = &[
    VERSION,
    INSURER,
    INSURED,
    req("相談日", Date, 8),
    req("計画種類", Code(&PREVENTION_PLAN_TYPE), 1),
    opt("委託の有無", Code(&CONSIGNMENT), 1),
    free("作成担当者"),
    opt("相談方法", Code(&CONSULTATION_METHOD), 2),
    free("相談方法(その他の内容)"),
    opt("相談回数", Code(&CONSULTATION_COUNT), 2),
    opt("前回相談日", Date, 8),
    opt("利用者の現況", Code(&CURRENT_SITUATION), 2),
    free("利用者の現況(状況補足)"),
    free("利用者氏名ﾌﾘｶﾞﾅ"),
    free("利用者氏名"),
    opt("利用者性別", Code(&SEX), 1),
    opt("利用者生年月日", Date, 8),
    free("利用者住所"),
    opt("利用者電話番号", Text, 15),
    opt("利用者Fax番号", Text, 15),
    opt(
        "障害高齢者の日常生活自立度",
        Code(&PHYSICAL_INDEPENDENCE),
        2,
    ),
    opt(
        "認知症高齢者の日常生活自立度",
        Code(&DEMENTIA_INDEPENDENCE),
        2,
    ),
    opt("要介護状態区分", Code(&BASIC_CARE_LEVEL), 2),
    opt("認定有効期間開始日", Date, 8),
    opt("認定有効期間終了日", Date, 8),
    opt("前回の介護度", Code(&BASIC_CARE_LEVEL), 2),
    opt("基本チェックリスト記入結果", Code(&CHECKLIST_RESULT), 1),
    opt("基本チェックリスト記入日", Date, 8),
    opt("障害等認定(身障)", Code(&APPLIES), 1),
    opt("障害等認定(療育)", Code(&APPLIES), 1),
    opt("障害等認定(精神)", Code(&APPLIES), 1),
    opt("障害等認定(難病)", Code(&APPLIES), 1),
    free("障害等認定特記事項"),
    opt("居住形態", Code(&DWELLING), 2),
    opt("自室の階数", Digits, 2),
    opt("住宅改修の有無", Code(&PRESENCE), 1),
    opt("経済状況(国民年金)", Code(&APPLIES), 1),
    opt("経済状況(厚生年金)", Code(&APPLIES), 1),
    opt("経済状況(障害年金)", Code(&APPLIES), 1),
    opt("経済状況(生活保護)", Code(&APPLIES), 1),
    free("経済状況詳細"),
    free("来所者(相談者)氏名"),
    free("来所者(相談者)住所"),
    opt("来所者(相談者)電話番号", Text, 15),
    free("来所者(相談者)続柄"),
    free("1 緊急連絡先(氏名)"),
    free("1 緊急連絡先(続柄)"),
    free("1 緊急連絡先(住所)"),
    opt("1 緊急連絡先(電話番号)", Text, 15),
    free("2 緊急連絡先(氏名)"),
    free("2 緊急連絡先(続柄)"),
    free("2 緊急連絡先(住所)"),
    opt("2 緊急連絡先(電話番号)", Text, 15),
    free("3 緊急連絡先(氏名)"),
    free("3 緊急連絡先(続柄)"),
    free("3 緊急連絡先(住所)"),
    opt("3 緊急連絡先(電話番号)", Text, 15),
    free("4 緊急連絡先(氏名)"),
    free("4 緊急連絡先(続柄)"),
    free("4 緊急連絡先(住所)"),
    opt("4 緊急連絡先(電話番号)", Text, 15),
    // The name of an UPKIHON_IMAGE file of the same send unit.
    free("家族構成 画像ファイル名"),
    free("家族関係等の状況"),
    free("今までの生活"),
    free("１日の生活・すごし方(生活全般)"),
    free("趣味・楽しみ・特技"),
    free("友人・地域との関係"),
    free("現在利用している公的サービス"),
    free("現在利用している非公的サービス"),
    opt("同意日", Date, 8),
    free("同意者氏名"),
];

/// 利用者基本情報 別表1 (7 items). 時間 is free text: the book's own example writes `6:00`.
static KIHON_SUB1: &[ItemSpec] = &[
    VERSION,
    INSURER,
    INSURED,
    req("相談日", Date, 8),
    free("時間"),
    free("本人の生活状況"),
    free("介護者・家族の生活状況"),
];

/// 利用者基本情報 別表2 (11 items). 年月日 is free text: the book's example writes `H12年10月`.
static KIHON_SUB2: &[ItemSpec] = &[
    VERSION,
    INSURER,
    INSURED,
    req("相談日", Date, 8),
    free("年月日"),
    free("病名"),
    free("医療機関・医師名"),
    opt("主治医・意見作成者フラグ", Code(&ATTENDING_DOCTOR), 1),
    opt("医療機関・医師電話番号", Text, 15),
    opt("経過", Code(&COURSE), 2),
    free("治療中の内容"),
];

/// 利用者基本情報の削除 (all items required).
static KIHON_DELETE: &[ItemSpec] = &[VERSION, INSURER, INSURED, req("相談日", Date, 8)];

/// 介護予防サービス・支援計画書 (57 items).
static YOBO: &[ItemSpec] = &[
    VERSION,
    INSURER,
    INSURED,
    req("計画作成(変更)日", Date, 8),
    req("計画種類", Code(&PREVENTION_PLAN_TYPE), 1),
    opt("委託の有無", Code(&CONSIGNMENT), 1),
    free("整理番号"),
    free("利用者名"),
    opt("認定年月日", Date, 8),
    opt("認定有効期間開始日", Date, 8),
    opt("認定有効期間終了日", Date, 8),
    opt("計画書区分", Code(&PLAN_CLASS), 2),
    opt("認定状況区分", Code(&CERTIFICATION_STATUS), 1),
    opt("要支援状態区分", Code(&SUPPORT_LEVEL), 1),
    free("計画作成者氏名（地域包括支援センター担当者名）"),
    free("計画作成者氏名（担当介護支援専門員名）"),
    free("計画作成者事業者・事業所名"),
    free("計画作成者事業者・事業所住所"),
    opt("計画作成者事業者・事業所電話番号", Text, 15),
    opt("初回作成日", Date, 8),
    free("担当地域包括支援センター"),
    free("目標とする生活(1日)"),
    free("目標とする生活(1年)"),
    free("【運動・移動】現在の状況"),
    free("【運動・移動】本人・家族の意欲・意向"),
    opt("【運動・移動】領域における課題の有無", Code(&HAS_ISSUE), 1),
    free("【運動・移動】領域における課題（背景・原因）"),
    free("【日常生活(家庭生活)】現在の状況"),
    free("【日常生活(家庭生活)】本人・家族の意欲・意向"),
    opt(
        "【日常生活(家庭生活)】領域における課題の有無",
        Code(&HAS_ISSUE),
        1,
    ),
    free("【日常生活(家庭生活)】領域における課題（背景・原因）"),
    free("【社会参加、対人関係・コミュニケーション】現在の状況"),
    free("【社会参加、対人関係・コミュニケーション】本人・家族の意欲・意向"),
    opt(
        "【社会参加、対人関係・コミュニケーション】領域における課題の有無",
        Code(&HAS_ISSUE),
        1,
    ),
    free("【社会参加、対人関係・コミュニケーション】領域における課題（背景・原因）"),
    free("【健康管理】現在の状況"),
    free("【健康管理】本人・家族の意欲・意向"),
    opt("【健康管理】領域における課題の有無", Code(&HAS_ISSUE), 1),
    free("【健康管理】領域における課題（背景・原因）"),
    free("健康状態の留意点"),
    free("妥当な支援の実施に向けた方針"),
    free("総合的な方針"),
    opt("基本チェックリストの該当数(運動不足)", Digits, 2),
    opt("基本チェックリストの該当数(栄養改善)", Digits, 2),
    opt("基本チェックリストの該当数(口腔内ケア)", Digits, 2),
    opt("基本チェックリストの該当数(閉じこもり予防)", Digits, 2),
    opt("基本チェックリストの該当数(物忘れ予防)", Digits, 2),
    opt("基本チェックリストの該当数(うつ予防)", Digits, 2),
    opt("事業プログラムの要否(運動不足)", Code(&PROGRAM_NEEDED), 1),
    opt("事業プログラムの要否(栄養改善)", Code(&PROGRAM_NEEDED), 1),
    opt("事業プログラムの要否(口腔内ケア)", Code(&PROGRAM_NEEDED), 1),
    opt(
        "事業プログラムの要否(閉じこもり予防)",
        Code(&PROGRAM_NEEDED),
        1,
    ),
    opt("事業プログラムの要否(物忘れ予防)", Code(&PROGRAM_NEEDED), 1),
    opt("事業プログラムの要否(うつ予防)", Code(&PROGRAM_NEEDED), 1),
    free("地域包括支援センター意見"),
    opt("同意日", Date, 8),
    free("同意者氏名"),
];

/// 介護予防サービス・支援計画書 別表 (17 items).
static YOBO_SUB: &[ItemSpec] = &[
    VERSION,
    INSURER,
    INSURED,
    req("計画作成(変更)日", Date, 8),
    opt("課題ＮＯ", Digits, 2),
    free("総合的課題"),
    free("課題に対する目標と具体策の提案"),
    free("具体策についての意向本人・家族"),
    free("目標"),
    opt("支援計画ＮＯ", Digits, 2),
    free("【支援計画】目標についての支援のポイント"),
    free("【支援計画】本人等のセルフケアや家族の支援、インフォーマルサービス（民間サービス）"),
    free("【支援計画】介護保険サービス又は地域支援事業（総合事業のサービス）"),
    opt("利用サービスＮＯ", Digits, 2),
    free("【利用サービス】サービス種別"),
    free("【利用サービス】事業所(利用先)"),
    free("【利用サービス】期間"),
];

/// 介護予防サービス・支援計画書の削除 (all items required).
static YOBO_DELETE: &[ItemSpec] = &[VERSION, INSURER, INSURED, req("計画作成(変更)日", Date, 8)];
