//! Text folding: bank remarks arrive as half-width katakana from a character set without small
//! kana (ｷﾕｳﾖ for 給与, ｶｰﾄﾞ or ｶ-ﾄﾞ for カード), users type full-width katakana or hiragana
//! (キュウヨ, かーど). Search and the books' rules compare folded text so all of them meet.

use unicode_normalization::UnicodeNormalization;

/// Folds `s` to the form that the search index, search queries and rule patterns share:
/// NFKC (half-width kana and full-width ASCII become their canonical widths, ﾞ/ﾟ compose),
/// katakana mapped to hiragana, small kana to their full size (banks print ｷﾕｳﾖ for キュウヨ),
/// every dash and long-vowel mark to `-` (banks print ｶ-ﾄﾞ for カード), ASCII lower-cased and
/// whitespace dropped (unions pad and space remarks differently).
pub fn fold(s: &str) -> String {
    s.nfkc().filter_map(fold_char).collect()
}

/// Folds a regular expression the way [`fold`] folds text, so it can run against folded
/// remarks: only runs of non-ASCII characters are folded (ASCII is regex syntax, and the match
/// ignores ASCII case instead), ASCII punctuation that folding produces (a full-width `（`, or
/// `ｰ` which folds to `-`) is escaped so it stays a literal, and spaces are dropped as the
/// text's are.
pub fn fold_pattern(pattern: &str) -> String {
    fn flush(run: &mut String, out: &mut String) {
        for f in fold(run).chars() {
            if f.is_ascii_punctuation() {
                out.push('\\');
            }
            out.push(f);
        }
        run.clear();
    }
    let mut out = String::with_capacity(pattern.len());
    // Folded a run at a time: ﾌ and ﾟ compose to プ only together.
    let mut run = String::new();
    for c in pattern.chars() {
        if c.is_ascii() {
            flush(&mut run, &mut out);
            if c != ' ' {
                out.push(c);
            }
        } else {
            run.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

fn fold_char(c: char) -> Option<char> {
    Some(match c {
        c if c.is_whitespace() => return None,
        // Small kana first (after the shift below they would be hiragana): ァ→ア, ッ→ツ, ヵ→カ.
        'ァ' | 'ィ' | 'ゥ' | 'ェ' | 'ォ' | 'ッ' | 'ャ' | 'ュ' | 'ョ' | 'ヮ' | 'ヵ' | 'ヶ' => {
            return fold_char(large_katakana(c));
        }
        'ぁ' | 'ぃ' | 'ぅ' | 'ぇ' | 'ぉ' | 'っ' | 'ゃ' | 'ゅ' | 'ょ' | 'ゎ' | 'ゕ' | 'ゖ' => {
            large_hiragana(c)
        }
        // Katakana ア..ヴ sit exactly 0x60 above hiragana あ..ゔ.
        'ア'..='ヴ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        // The long-vowel mark and every dash banks or keyboards produce.
        'ー' | '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | '﹣' => '-',
        c => c.to_ascii_lowercase(),
    })
}

fn large_katakana(c: char) -> char {
    match c {
        'ヵ' => 'カ',
        'ヶ' => 'ケ',
        // The other small katakana sit one code point below their large form (ァ, ア).
        c => char::from_u32(c as u32 + 1).unwrap_or(c),
    }
}

fn large_hiragana(c: char) -> char {
    match c {
        'ゕ' => 'か',
        'ゖ' => 'け',
        c => char::from_u32(c as u32 + 1).unwrap_or(c),
    }
}

#[cfg(test)]
mod tests {
    use super::{fold, fold_pattern};

    #[test]
    fn half_width_katakana_meets_full_width_and_hiragana() {
        assert_eq!(fold("ｶｰﾄﾞ"), fold("カード"));
        assert_eq!(fold("ｶｰﾄﾞ"), fold("かーど"));
        assert_eq!(fold("ﾃﾞﾝｷﾘﾖｳｷﾝ"), "でんきりようきん");
    }

    #[test]
    fn hyphen_long_vowel_and_small_kana_agree() {
        assert_eq!(fold("ｶ-ﾄﾞ"), fold("カード"));
        assert_eq!(fold("ｶ－ﾄﾞ"), fold("ｶｰﾄﾞ"));
        // Zengin has no small kana: 給与 arrives as ｷﾕｳﾖ.
        assert_eq!(fold("ｷﾕｳﾖ"), fold("キュウヨ"));
        assert_eq!(fold("ﾁﾖｷﾝ"), fold("ちょきん"));
        assert_eq!(fold("ｹﾞﾂｶﾞｸ"), fold("ゲッガク"));
        assert_eq!(fold("ヶ"), "け");
    }

    #[test]
    fn ascii_and_full_width_ascii_fold_together() {
        assert_eq!(fold("ATMｼﾊﾗｲ"), fold("ＡＴＭシハライ"));
        assert_eq!(fold("ATM"), "atm");
    }

    #[test]
    fn whitespace_is_dropped() {
        assert_eq!(fold("ﾌﾘｺﾐ ｶ)ﾎｸｵｳ"), fold("ﾌﾘｺﾐｶ)ﾎｸｵｳ"));
        assert_eq!(fold("NHK　ｼﾞﾕｼﾝﾘﾖｳ"), "nhkじゆしんりよう");
    }

    #[test]
    fn patterns_fold_their_text_and_keep_their_syntax() {
        assert_eq!(fold_pattern("^ｶｰﾄﾞ\\s*JCB"), "^か\\-ど\\s*JCB");
        assert_eq!(fold_pattern("[A-Z]+ｷｭｳﾖ"), "[A-Z]+きゆうよ");
        // A full-width parenthesis is a literal, not a group.
        assert_eq!(fold_pattern("ｶ）ﾎｸｵｳ"), "か\\)ほくおう");
        assert_eq!(fold_pattern("ﾌﾘｺﾐ ﾀﾅｶ"), "ふりこみたなか");
        // Voiced marks compose with their kana across the run, as in the text.
        assert_eq!(fold_pattern("ｺｰﾌﾟ|ﾄﾞｺﾓ"), format!("{}|{}", fold("ｺｰﾌﾟ").replace('-', "\\-"), fold("ﾄﾞｺﾓ")));
    }
}
