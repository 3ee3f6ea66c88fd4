//! The Passport-style scoring rules, free of HTTP and clocks so they are easy to test.
//!
//! Stamps are taken in request order. A stamp is **counted** (adds its provider's weight) when:
//! 1. its provider has a weight in the scorer (other providers are listed with score 0),
//! 2. it has not expired (`expiration_date` strictly after now),
//! 3. its provider has not been counted yet (each provider counts once),
//! 4. none of its nullifiers belongs to a stamp counted before it (dedup); a deduplicated stamp
//!    is listed with score 0 and `dedup: true`.
//!
//! The `stamps` map has one entry per provider; when a provider appears several times the entry
//! shown is the most significant one: counted > deduplicated > expired / unweighted.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};

use crate::points::Points;
use crate::weights::Scorer;

/// One stamp of the request, already validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Stamp {
    pub provider: String,
    pub nullifiers: Vec<String>,
    pub expiration_date: DateTime<Utc>,
}

/// Why a stamp did or did not add to the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// Provider not weighted by this scorer, expired, or the provider was already counted.
    Ignored,
    /// A nullifier was already used by a counted stamp.
    Deduplicated,
    /// Added the provider's weight.
    Counted,
}

/// The per-provider line of the response.
#[derive(Debug, Clone, PartialEq)]
pub struct StampScore {
    pub score: Points,
    pub outcome: Outcome,
    pub expiration_date: DateTime<Utc>,
}

impl StampScore {
    pub fn dedup(&self) -> bool {
        self.outcome == Outcome::Deduplicated
    }
}

/// The result of scoring one address.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub score: Points,
    pub threshold: Points,
    pub passing: bool,
    /// Earliest expiry among the counted stamps; `None` when nothing was counted.
    pub expiration: Option<DateTime<Utc>>,
    pub stamps: BTreeMap<String, StampScore>,
}

/// Applies the rules above to `stamps` at time `now`.
pub fn score(scorer: &Scorer, stamps: &[Stamp], now: DateTime<Utc>) -> Score {
    let mut total = Points::ZERO;
    let mut used_nullifiers: HashSet<&str> = HashSet::new();
    let mut expiration: Option<DateTime<Utc>> = None;
    let mut lines: BTreeMap<String, StampScore> = BTreeMap::new();

    for stamp in stamps {
        let weight = scorer.weights.get(&stamp.provider).copied();
        let already_counted = lines.get(&stamp.provider).is_some_and(|l| l.outcome == Outcome::Counted);
        let expired = stamp.expiration_date <= now;
        let duplicate = stamp.nullifiers.iter().any(|n| used_nullifiers.contains(n.as_str()));

        let (outcome, points) = match weight {
            Some(_) if expired || already_counted => (Outcome::Ignored, Points::ZERO),
            Some(_) if duplicate => (Outcome::Deduplicated, Points::ZERO),
            Some(w) => (Outcome::Counted, w),
            None => (Outcome::Ignored, Points::ZERO),
        };

        if outcome == Outcome::Counted {
            total = total.saturating_add(points);
            used_nullifiers.extend(stamp.nullifiers.iter().map(String::as_str));
            expiration = Some(expiration.map_or(stamp.expiration_date, |e| e.min(stamp.expiration_date)));
        }
        let line = StampScore { score: points, outcome, expiration_date: stamp.expiration_date };
        match lines.get(&stamp.provider) {
            Some(existing) if existing.outcome >= outcome => {}
            _ => {
                lines.insert(stamp.provider.clone(), line);
            }
        }
    }

    Score { score: total, threshold: scorer.threshold, passing: total >= scorer.threshold, expiration, stamps: lines }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::collections::HashMap;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap()
    }

    fn days(n: i64) -> DateTime<Utc> {
        now() + chrono::Duration::days(n)
    }

    fn scorer(threshold: f64, weights: &[(&str, f64)]) -> Scorer {
        Scorer {
            threshold: Points::from_f64(threshold).unwrap(),
            weights: weights
                .iter()
                .map(|(p, w)| (p.to_string(), Points::from_f64(*w).unwrap()))
                .collect::<HashMap<_, _>>(),
        }
    }

    fn stamp(provider: &str, nullifiers: &[&str], expires: DateTime<Utc>) -> Stamp {
        Stamp {
            provider: provider.into(),
            nullifiers: nullifiers.iter().map(|n| n.to_string()).collect(),
            expiration_date: expires,
        }
    }

    #[test]
    fn sums_weights_of_valid_stamps() {
        let s = scorer(20.0, &[("Google", 2.25), ("Github", 20.25)]);
        let r = score(&s, &[stamp("Google", &["g"], days(30)), stamp("Github", &["h"], days(10))], now());
        assert_eq!(r.score.to_string(), "22.50000");
        assert!(r.passing);
        assert_eq!(r.expiration, Some(days(10)));
        assert_eq!(r.stamps["Google"].score.to_string(), "2.25000");
        assert!(!r.stamps["Google"].dedup());
    }

    #[test]
    fn passing_is_at_or_above_threshold() {
        let s = scorer(4.5, &[("A", 2.25), ("B", 2.25)]);
        assert!(score(&s, &[stamp("A", &["a"], days(1)), stamp("B", &["b"], days(1))], now()).passing);
        assert!(!score(&s, &[stamp("A", &["a"], days(1))], now()).passing);
    }

    #[test]
    fn expired_stamps_count_nothing_and_free_their_nullifiers() {
        let s = scorer(20.0, &[("Google", 2.25), ("Github", 4.0)]);
        let r = score(&s, &[stamp("Google", &["n"], now()), stamp("Github", &["n"], days(1))], now());
        assert_eq!(r.score.to_string(), "4.00000");
        assert_eq!(r.stamps["Google"].score, Points::ZERO);
        assert!(!r.stamps["Google"].dedup(), "expired is not dedup");
        assert_eq!(r.stamps["Github"].outcome, Outcome::Counted);
        assert_eq!(r.expiration, Some(days(1)));
    }

    #[test]
    fn each_provider_counts_once() {
        let s = scorer(20.0, &[("Google", 2.25)]);
        let r = score(&s, &[stamp("Google", &["a"], days(5)), stamp("Google", &["b"], days(9))], now());
        assert_eq!(r.score.to_string(), "2.25000");
        assert_eq!(r.stamps.len(), 1);
        assert_eq!(r.stamps["Google"].expiration_date, days(5), "the counted stamp is shown");
    }

    #[test]
    fn a_later_valid_stamp_replaces_an_expired_one_of_the_same_provider() {
        let s = scorer(20.0, &[("Google", 2.25)]);
        let r = score(&s, &[stamp("Google", &["a"], days(-1)), stamp("Google", &["b"], days(3))], now());
        assert_eq!(r.score.to_string(), "2.25000");
        assert_eq!(r.stamps["Google"].outcome, Outcome::Counted);
    }

    #[test]
    fn shared_nullifier_is_deduplicated() {
        let s = scorer(20.0, &[("Google", 2.25), ("Github", 4.0), ("Ens", 1.0)]);
        let r = score(
            &s,
            &[
                stamp("Google", &["x", "y"], days(5)),
                stamp("Github", &["z", "y"], days(5)),
                stamp("Ens", &["w"], days(5)),
            ],
            now(),
        );
        assert_eq!(r.score.to_string(), "3.25000");
        assert!(r.stamps["Github"].dedup());
        assert_eq!(r.stamps["Github"].score.to_string(), "0.00000");
        assert!(!r.stamps["Google"].dedup());
    }

    #[test]
    fn deduplicated_stamp_does_not_claim_its_other_nullifiers() {
        let s = scorer(20.0, &[("A", 1.0), ("B", 1.0), ("C", 1.0)]);
        let r = score(
            &s,
            &[stamp("A", &["x"], days(5)), stamp("B", &["x", "q"], days(5)), stamp("C", &["q"], days(5))],
            now(),
        );
        assert_eq!(r.score.to_string(), "2.00000");
        assert_eq!(r.stamps["C"].outcome, Outcome::Counted);
    }

    #[test]
    fn unweighted_providers_are_listed_with_zero() {
        let s = scorer(20.0, &[("Google", 2.25)]);
        let r = score(&s, &[stamp("Facebook", &["f"], days(5)), stamp("Google", &["f"], days(5))], now());
        assert_eq!(r.score.to_string(), "2.25000", "an unweighted stamp does not claim nullifiers");
        assert_eq!(r.stamps["Facebook"].score, Points::ZERO);
        assert_eq!(r.stamps["Facebook"].outcome, Outcome::Ignored);
    }

    #[test]
    fn no_stamps_scores_zero_without_expiration() {
        let r = score(&scorer(20.0, &[("Google", 2.25)]), &[], now());
        assert_eq!(r.score.to_string(), "0.00000");
        assert!(!r.passing);
        assert_eq!(r.expiration, None);
        assert!(r.stamps.is_empty());
    }

    #[test]
    fn zero_threshold_passes_with_nothing() {
        assert!(score(&scorer(0.0, &[]), &[], now()).passing);
    }
}
