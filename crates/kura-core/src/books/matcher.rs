//! Every enabled rule compiled into one matcher: the literal patterns into one Aho-Corasick
//! automaton and the regular expressions into one set, so a line costs one pass over its
//! remarks per kind however many rules there are (a first sync runs this on a million lines).

use aho_corasick::AhoCorasick;
use regex::{RegexSet, RegexSetBuilder};

use super::rule::{MatchKind, Pattern, REGEX_SIZE_LIMIT, Rule, RuleSpec};
use crate::model::{AccountId, CategoryId, RuleId};
use crate::text::fold_pattern;

/// What a line offers the rules.
#[derive(Debug, Clone, Copy)]
pub struct LineFacts<'a> {
    /// The folded remarks (`text::fold`, as stored in `remarks_folded`).
    pub folded: &'a str,
    pub amount: i64,
    pub account: AccountId,
}

/// What the rules decided for one line: for each action, the first matching rule (in position
/// order) that sets it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decision<'m> {
    pub category: Option<(CategoryId, RuleId)>,
    pub memo: Option<(&'m str, RuleId)>,
    pub transfer: Option<RuleId>,
}

impl Decision<'_> {
    pub fn is_empty(&self) -> bool {
        self.category.is_none() && self.memo.is_none() && self.transfer.is_none()
    }
}

struct Compiled {
    id: RuleId,
    spec: RuleSpec,
}

/// The enabled rules, in position order, ready to run on lines.
pub struct Matcher {
    rules: Vec<Compiled>,
    literals: Option<AhoCorasick>,
    /// Per literal pattern: its rule (an index into `rules`) and kind.
    literal_rules: Vec<(usize, MatchKind)>,
    regexes: Option<RegexSet>,
    regex_rules: Vec<usize>,
    /// Rules whose remarks condition meets any text (narrowed by account or amount).
    any_text: Vec<usize>,
    /// Rules that meet only empty remarks.
    empty_only: Vec<usize>,
}

impl Matcher {
    /// Compiles the enabled ones of `rules` (in any order; they run by position). A stored rule
    /// that no longer compiles is left out with a warning rather than stopping a sync: rules are
    /// checked when saved, so this only happens to a file edited by hand.
    pub fn new(rules: &[Rule]) -> Matcher {
        let mut ordered: Vec<&Rule> = rules.iter().filter(|r| r.spec.enabled).collect();
        ordered.sort_by_key(|r| (r.position, r.id));
        let mut compiled = Vec::with_capacity(ordered.len());
        let (mut literal_patterns, mut literal_rules) = (Vec::new(), Vec::new());
        let (mut regex_patterns, mut regex_rules) = (Vec::new(), Vec::new());
        let (mut any_text, mut empty_only) = (Vec::new(), Vec::new());
        for rule in ordered {
            let pattern = match rule.spec.compile() {
                Ok(p) => p,
                Err(e) => {
                    tracing::warn!(rule = rule.id.0, error = %e, "rule left out: it does not compile");
                    continue;
                }
            };
            let index = compiled.len();
            match pattern {
                // An empty `is` meets lines without remarks; it cannot sit in the automaton.
                Pattern::Literal { kind: MatchKind::Is, folded } if folded.is_empty() => empty_only.push(index),
                Pattern::Literal { folded, .. } if folded.is_empty() => any_text.push(index),
                Pattern::Literal { kind, folded } => {
                    literal_patterns.push(folded);
                    literal_rules.push((index, kind));
                }
                Pattern::Regex(re) if re.is_match("") => any_text.push(index),
                Pattern::Regex(_) => {
                    regex_patterns.push(fold_pattern(&rule.spec.pattern));
                    regex_rules.push(index);
                }
            }
            compiled.push(Compiled { id: rule.id, spec: rule.spec.clone() });
        }
        let literals = (!literal_patterns.is_empty())
            .then(|| AhoCorasick::new(&literal_patterns).expect("literal patterns always build an automaton"));
        let regexes = (!regex_patterns.is_empty()).then(|| {
            RegexSetBuilder::new(&regex_patterns)
                .case_insensitive(true)
                .size_limit(REGEX_SIZE_LIMIT.saturating_mul(regex_patterns.len()))
                .build()
                .expect("each pattern compiled on its own")
        });
        Matcher { rules: compiled, literals, literal_rules, regexes, regex_rules, any_text, empty_only }
    }

    /// How many rules run.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The rules' decision for one line.
    pub fn decide(&self, line: LineFacts<'_>) -> Decision<'_> {
        let mut hits: Vec<usize> = Vec::new();
        if let Some(ac) = &self.literals {
            let text_len = line.folded.len();
            for m in ac.find_overlapping_iter(line.folded) {
                let (rule, kind) = self.literal_rules[m.pattern().as_usize()];
                let fits = match kind {
                    MatchKind::Contains | MatchKind::Regex => true,
                    MatchKind::StartsWith => m.start() == 0,
                    MatchKind::Is => m.start() == 0 && m.end() == text_len,
                };
                if fits {
                    hits.push(rule);
                }
            }
        }
        if let Some(set) = &self.regexes {
            hits.extend(set.matches(line.folded).iter().map(|i| self.regex_rules[i]));
        }
        hits.extend(&self.any_text);
        if line.folded.is_empty() {
            hits.extend(&self.empty_only);
        }
        hits.sort_unstable();
        hits.dedup();
        let mut decision = Decision::default();
        for i in hits {
            let rule = &self.rules[i];
            if !rule.spec.admits(line.amount, line.account) {
                continue;
            }
            if decision.category.is_none()
                && let Some(c) = rule.spec.category_id
            {
                decision.category = Some((c, rule.id));
            }
            if decision.memo.is_none()
                && let Some(m) = &rule.spec.memo
            {
                decision.memo = Some((m, rule.id));
            }
            if decision.transfer.is_none() && rule.spec.transfer {
                decision.transfer = Some(rule.id);
            }
            if decision.category.is_some() && decision.memo.is_some() && decision.transfer.is_some() {
                break;
            }
        }
        decision
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::Direction;
    use crate::text::fold;

    fn rule(id: i64, kind: MatchKind, pattern: &str, category: i64) -> Rule {
        Rule {
            id: RuleId(id),
            position: id,
            builtin: None,
            spec: RuleSpec {
                match_kind: kind,
                pattern: pattern.into(),
                direction: None,
                min_amount: None,
                max_amount: None,
                account_id: None,
                category_id: Some(CategoryId(category)),
                memo: None,
                transfer: false,
                enabled: true,
            },
        }
    }

    fn category(m: &Matcher, remarks: &str, amount: i64) -> Option<i64> {
        let folded = fold(remarks);
        m.decide(LineFacts { folded: &folded, amount, account: AccountId(1) }).category.map(|(c, _)| c.0)
    }

    #[test]
    fn half_width_full_width_hyphen_and_small_kana_all_match() {
        let m =
            Matcher::new(&[rule(1, MatchKind::Contains, "カード", 10), rule(2, MatchKind::Contains, "キュウヨ", 20)]);
        for remarks in ["ｶｰﾄﾞ ﾗｸﾃﾝ", "ｶ-ﾄﾞ ﾗｸﾃﾝ", "カード", "ﾐﾂｲｽﾐﾄﾓｶｰﾄﾞ(ｶ"]
        {
            assert_eq!(category(&m, remarks, -100), Some(10), "{remarks}");
        }
        assert_eq!(category(&m, "ｷﾕｳﾖ ｶ)ｸﾗｼﾖｳｼﾞ", 300_000), Some(20));
        assert_eq!(category(&m, "ATMｼﾊﾗｲ", -100), None);
    }

    #[test]
    fn kinds_anchor_where_they_say() {
        let m = Matcher::new(&[
            rule(1, MatchKind::Is, "ﾘｿｸ", 1),
            rule(2, MatchKind::StartsWith, "ATM", 2),
            rule(3, MatchKind::Regex, r"^ﾌﾘｺﾐ\s*ｶ\)", 3),
        ]);
        assert_eq!(category(&m, "ﾘｿｸ", 5), Some(1));
        assert_eq!(category(&m, "ﾘｿｸ ｿｳｶﾞｸ", 5), None);
        assert_eq!(category(&m, "ATM ｼﾊﾗｲ", -5), Some(2));
        assert_eq!(category(&m, "ｾﾌﾞﾝATM", -5), None);
        assert_eq!(category(&m, "ﾌﾘｺﾐ ｶ)ｻｸﾗﾌﾄﾞｳｻﾝ", -5), Some(3));
        assert_eq!(category(&m, "ﾌﾘｺﾐ ﾀﾅｶ", -5), None);
    }

    #[test]
    fn the_first_rule_by_position_wins_each_action_separately() {
        let mut fee = rule(1, MatchKind::Contains, "ﾃｽｳﾘﾖｳ", 7);
        fee.position = 0;
        let mut atm = rule(2, MatchKind::Contains, "ATM", 8);
        atm.position = 1;
        atm.spec.memo = Some("現金".into());
        let m = Matcher::new(&[atm.clone(), fee.clone()]);
        let folded = fold("ATMﾃｽｳﾘﾖｳ");
        let d = m.decide(LineFacts { folded: &folded, amount: -110, account: AccountId(1) });
        assert_eq!(d.category, Some((CategoryId(7), RuleId(1))), "the fee rule is first");
        assert_eq!(d.memo, Some(("現金", RuleId(2))), "the ATM rule still gives its memo");
        // Swapped order, swapped winner.
        fee.position = 2;
        let m = Matcher::new(&[atm, fee]);
        assert_eq!(category(&m, "ATMﾃｽｳﾘﾖｳ", -110), Some(8));
    }

    #[test]
    fn conditions_on_amount_direction_and_account_filter_matches() {
        let mut pension_in = rule(1, MatchKind::Contains, "ﾈﾝｷﾝ", 1);
        pension_in.spec.direction = Some(Direction::In);
        let mut premium_out = rule(2, MatchKind::Contains, "ﾈﾝｷﾝ", 2);
        premium_out.spec.direction = Some(Direction::Out);
        let mut big = rule(3, MatchKind::Contains, "ﾌﾘｺﾐ", 3);
        big.spec.min_amount = Some(50_000);
        let mut savings = rule(4, MatchKind::Contains, "", 4);
        savings.spec.account_id = Some(AccountId(9));
        let m = Matcher::new(&[pension_in, premium_out, big, savings]);
        assert_eq!(category(&m, "ｺｸﾐﾝﾈﾝｷﾝ", 200_000), Some(1));
        assert_eq!(category(&m, "ｺｸﾐﾝﾈﾝｷﾝ", -16_980), Some(2));
        assert_eq!(category(&m, "ﾌﾘｺﾐ ﾀﾅｶ", -80_000), Some(3));
        assert_eq!(category(&m, "ﾌﾘｺﾐ ﾀﾅｶ", -8_000), None);
        let folded = fold("ﾌﾘｶｴ");
        let d = m.decide(LineFacts { folded: &folded, amount: 5, account: AccountId(9) });
        assert_eq!(d.category.map(|c| c.0), Some(CategoryId(4)));
    }

    #[test]
    fn disabled_rules_and_rules_without_category_do_not_decide_the_category() {
        let mut off = rule(1, MatchKind::Contains, "ATM", 1);
        off.spec.enabled = false;
        let mut transfer = rule(2, MatchKind::Contains, "ﾌﾘｶｴ", 2);
        transfer.spec.category_id = None;
        transfer.spec.transfer = true;
        let m = Matcher::new(&[off, transfer, rule(3, MatchKind::Contains, "ﾌﾘｶｴ", 3)]);
        assert_eq!(m.len(), 2);
        assert_eq!(category(&m, "ATMｼﾊﾗｲ", -1), None);
        let folded = fold("ﾌﾘｶｴ ﾁﾖﾁｸ");
        let d = m.decide(LineFacts { folded: &folded, amount: -1, account: AccountId(1) });
        assert_eq!(d.transfer, Some(RuleId(2)));
        assert_eq!(d.category, Some((CategoryId(3), RuleId(3))));
    }

    #[test]
    fn an_empty_is_pattern_meets_only_empty_remarks() {
        let m = Matcher::new(&[rule(1, MatchKind::Is, "", 1)]);
        assert_eq!(category(&m, "", -1), Some(1));
        assert_eq!(category(&m, "ATM", -1), None);
    }

    #[test]
    fn overlapping_literals_are_all_found() {
        // "ｶｰﾄﾞ" inside "ﾃﾞﾋﾞﾂﾄｶｰﾄﾞ": the later, longer rule must still be seen.
        let m = Matcher::new(&[rule(1, MatchKind::Contains, "ﾃﾞﾋﾞﾂﾄ", 1), rule(2, MatchKind::Contains, "ｶｰﾄﾞ", 2)]);
        assert_eq!(category(&m, "VISAﾃﾞﾋﾞﾂﾄｶｰﾄﾞ", -1), Some(1));
        let m = Matcher::new(&[rule(2, MatchKind::Contains, "ｶｰﾄﾞ", 2), rule(3, MatchKind::Contains, "ﾃﾞﾋﾞﾂﾄ", 1)]);
        assert_eq!(category(&m, "VISAﾃﾞﾋﾞﾂﾄｶｰﾄﾞ", -1), Some(2));
    }
}
