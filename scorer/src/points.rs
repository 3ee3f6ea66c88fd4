//! Fixed-point score arithmetic.
//!
//! Scores are sums of decimal weights such as 2.25 + 0.39; with `f64` the sum can come out as
//! 2.6399999999 and print wrongly. Passport reports 5 decimals, so every weight is converted once,
//! at load time, to an integer count of 0.00001 units and all arithmetic is exact integer addition.

use std::fmt;

/// Number of 0.00001 units in 1.0.
const SCALE: i64 = 100_000;

/// A non-negative score with exactly 5 decimal places.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Points(i64);

impl Points {
    pub const ZERO: Points = Points(0);

    /// Converts a configured weight; `None` if it is negative, not finite or absurdly large.
    pub fn from_f64(value: f64) -> Option<Points> {
        if !value.is_finite() || !(0.0..=1.0e9).contains(&value) {
            return None;
        }
        Some(Points((value * SCALE as f64).round() as i64))
    }

    pub fn saturating_add(self, other: Points) -> Points {
        Points(self.0.saturating_add(other.0))
    }
}

impl fmt::Display for Points {
    /// `22.5` prints as `22.50000`, as Passport's API does.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:05}", self.0 / SCALE, self.0 % SCALE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_five_decimals() {
        assert_eq!(Points::from_f64(22.5).unwrap().to_string(), "22.50000");
        assert_eq!(Points::from_f64(0.0).unwrap().to_string(), "0.00000");
        assert_eq!(Points::from_f64(16.021).unwrap().to_string(), "16.02100");
        assert_eq!(Points::from_f64(0.000004).unwrap().to_string(), "0.00000");
        assert_eq!(Points::from_f64(0.000005).unwrap().to_string(), "0.00001");
    }

    #[test]
    fn sums_exactly_where_f64_would_drift() {
        // 0.1 + 0.2 = 0.30000000000000004 in f64.
        let sum = Points::from_f64(0.1).unwrap().saturating_add(Points::from_f64(0.2).unwrap());
        assert_eq!(sum.to_string(), "0.30000");
        assert_eq!(sum, Points::from_f64(0.3).unwrap());
    }

    #[test]
    fn rejects_negative_and_non_finite_weights() {
        assert_eq!(Points::from_f64(-1.0), None);
        assert_eq!(Points::from_f64(f64::NAN), None);
        assert_eq!(Points::from_f64(f64::INFINITY), None);
    }
}
