//! The language tag of a document's labels: `zh-Hans` for Simplified Chinese, `zh-Hant` for
//! Traditional (BCP 47), decided by the characters only one script has. Written in lower case
//! (`zh-hans`), the form RDF stores compare tags in (oxigraph lowercases the tags of a query,
//! so a stored `zh-Hans` would never equal a query's `"…"@zh-Hans`).

/// Frequent characters whose Simplified and Traditional forms differ, in pairs (Simplified
/// first). Official and news text uses most of them on every page; a few hundred characters
/// of labels are enough to tell the script.
const PAIRS: &str =
    "国國会會说說为為们們个個来來时時发發与與对對这這经經过過无無还還进進实實现現业業\
产產关關开開长長门門问問间間东東车車书書华華体體区區县縣广廣厅廳办辦务務动動\
员員党黨乡鄉镇鎮边邊电電钢鋼铁鐵银銀农農贸貿财財级級纪紀组組织織设設计計划劃\
议議论論认認识識语語读讀调調资資质質运運达達远遠选選递遞际際险險阳陽阴陰陆陸\
队隊连連务務当當总總济濟渔漁湾灣泽澤汉漢浔潯沟溝节節药藥艺藝苏蘇营營万萬兴興\
乐樂买買卖賣学學宁寧宝寶实實审審宪憲导導将將尔爾层層岁歲岛島师師帅帥带帶币幣\
干幹广廣庆慶应應张張强強归歸录錄态態总總怀懷恋戀战戰户戶扩擴报報护護据據权權\
条條杨楊极極构構标標树樹桥橋档檔检檢欧歐气氣汇匯沪滬测測济濟热熱献獻环環现現\
疗療监監盘盤码碼础礎确確种種积積称稱线線练練细細经經结結绿綠网網罗羅职職联聯\
腾騰艰艱荣榮莲蓮获獲补補规規视視览覽观觀订訂训訓证證评評试試话話询詢该該详詳\
贫貧购購贯貫费費贵貴赵趙轨軌转轉轮輪软軟辽遼迁遷还還酝醞释釋针針链鏈销銷锁鎖\
闭閉闯闖闻聞阵陣际際难難页頁项項领領频頻题題风風飞飛馆館驱驅验驗鱼魚鲁魯齐齊";

/// `zh-hant` when the texts use more Traditional-only characters than Simplified-only ones,
/// else `zh-hans` (also for texts of characters both scripts share).
pub(crate) fn language_tag<'a>(texts: impl IntoIterator<Item = &'a str>) -> &'static str {
    let (mut simplified, mut traditional) = (0usize, 0usize);
    for c in texts.into_iter().flat_map(str::chars) {
        if c.is_ascii() {
            continue;
        }
        // PAIRS alternates Simplified, Traditional.
        if let Some(at) = PAIRS.chars().position(|p| p == c) {
            if at % 2 == 0 {
                simplified += 1;
            } else {
                traditional += 1;
            }
        }
    }
    if traditional > simplified {
        "zh-hant"
    } else {
        "zh-hans"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_told_apart() {
        assert_eq!(language_tag(["国务院办公厅关于印发通知"]), "zh-hans");
        assert_eq!(language_tag(["國務院辦公廳關於印發通知"]), "zh-hant");
        // Characters both scripts share, and no text at all.
        assert_eq!(language_tag(["中山", "上海"]), "zh-hans");
        assert_eq!(language_tag([]), "zh-hans");
    }

    #[test]
    fn the_table_holds_pairs_of_distinct_characters() {
        let chars: Vec<char> = PAIRS.chars().collect();
        assert_eq!(chars.len() % 2, 0);
        assert!(
            chars.chunks(2).all(|p| p[0] != p[1]),
            "a pair of one character"
        );
    }
}
