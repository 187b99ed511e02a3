//! Text folding for search: bank remarks arrive as half-width katakana (ｶｰﾄﾞ), users type
//! full-width katakana (カード) or hiragana (かーど); all of them must meet.

use unicode_normalization::UnicodeNormalization;

/// Folds `s` to the form that search indexes and queries share: NFKC (half-width kana and
/// full-width ASCII become their canonical widths, ﾞ/ﾟ compose), katakana mapped to hiragana,
/// ASCII lower-cased.
pub fn fold_for_search(s: &str) -> String {
    s.nfkc()
        .map(|c| match c {
            // Katakana ァ..ヶ sit exactly 0x60 above hiragana ぁ..ゖ.
            'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::fold_for_search;

    #[test]
    fn half_width_katakana_meets_full_width_and_hiragana() {
        assert_eq!(fold_for_search("ｶｰﾄﾞ"), fold_for_search("カード"));
        assert_eq!(fold_for_search("ｶｰﾄﾞ"), fold_for_search("かーど"));
        assert_eq!(fold_for_search("ﾃﾞﾝｷﾘﾖｳｷﾝ"), "でんきりようきん");
    }

    #[test]
    fn ascii_and_full_width_ascii_fold_together() {
        assert_eq!(fold_for_search("ATMｼﾊﾗｲ"), fold_for_search("ＡＴＭシハライ"));
        assert_eq!(fold_for_search("ATM"), "atm");
    }
}
