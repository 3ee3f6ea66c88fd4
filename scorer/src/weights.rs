//! Per-scorer provider weights and thresholds, read once at start-up from `weights.json`.
//!
//! File shape:
//! ```json
//! {"default_threshold": 20,
//!  "scorers": {"1": {"threshold": 20, "weights": {"Google": 2.25, "Github": 4.0}}}}
//! ```
//! `threshold` and `default_threshold` are optional (default 20).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::points::Points;

/// The threshold used when neither the scorer nor the file sets one.
pub const DEFAULT_THRESHOLD: f64 = 20.0;

/// One scorer's configuration, already converted to exact fixed-point values.
#[derive(Debug, Clone, PartialEq)]
pub struct Scorer {
    pub threshold: Points,
    pub weights: HashMap<String, Points>,
}

/// All scorers by id (the `{scorer_id}` path segment).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Weights {
    scorers: HashMap<String, Scorer>,
}

impl Weights {
    pub fn scorer(&self, id: &str) -> Option<&Scorer> {
        self.scorers.get(id)
    }

    pub fn len(&self) -> usize {
        self.scorers.len()
    }

    /// Parses the JSON text of a weights file; the error says what is wrong and where.
    pub fn parse(json: &str) -> Result<Weights, WeightsError> {
        let file: WeightsFile = serde_json::from_str(json).map_err(|e| WeightsError(format!("invalid JSON: {e}")))?;
        let default_threshold = file.default_threshold.unwrap_or(DEFAULT_THRESHOLD);
        let mut scorers = HashMap::new();
        for (id, raw) in file.scorers {
            let threshold_value = raw.threshold.unwrap_or(default_threshold);
            let threshold = Points::from_f64(threshold_value).ok_or_else(|| {
                WeightsError(format!("scorer {id}: threshold {threshold_value} must be a number >= 0"))
            })?;
            let mut weights = HashMap::new();
            for (provider, weight) in raw.weights {
                let points = Points::from_f64(weight).ok_or_else(|| {
                    WeightsError(format!("scorer {id}: weight {weight} of {provider} must be a number >= 0"))
                })?;
                weights.insert(provider, points);
            }
            scorers.insert(id, Scorer { threshold, weights });
        }
        if scorers.is_empty() {
            return Err(WeightsError("no scorers defined under \"scorers\"".into()));
        }
        Ok(Weights { scorers })
    }

    /// Reads and parses a weights file.
    pub fn load(path: &Path) -> Result<Weights, WeightsError> {
        let text =
            std::fs::read_to_string(path).map_err(|e| WeightsError(format!("cannot read {}: {e}", path.display())))?;
        Weights::parse(&text).map_err(|e| WeightsError(format!("{}: {}", path.display(), e.0)))
    }
}

/// Where `weights.json` is looked up, first match wins:
/// 1. `$SCORER_WEIGHTS_PATH` (explicit override, must exist),
/// 2. `$LAMBDA_TASK_ROOT/weights.json` (Lambda sets `LAMBDA_TASK_ROOT=/var/task`, the zip root),
/// 3. next to the executable (a local run of `target/.../rust-scorer`, or `bootstrap` in an unpacked zip),
/// 4. `$CARGO_MANIFEST_DIR/weights.json`, which cargo sets for `cargo run` and `cargo test`. Read at run
///    time on purpose: `env!("CARGO_MANIFEST_DIR")` would compile the build machine's path into the
///    binary, so the same commit built in two checkouts would give two different zips.
pub fn locate(env: impl Fn(&str) -> Option<String>, exe: Option<PathBuf>) -> Result<PathBuf, WeightsError> {
    if let Some(explicit) = env("SCORER_WEIGHTS_PATH").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(explicit);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(WeightsError(format!(
                "SCORER_WEIGHTS_PATH={} does not name a file; point it at a weights.json or unset it",
                path.display()
            )))
        };
    }
    let mut candidates = Vec::new();
    if let Some(root) = env("LAMBDA_TASK_ROOT").filter(|p| !p.is_empty()) {
        candidates.push(Path::new(&root).join("weights.json"));
    }
    if let Some(dir) = exe.as_deref().and_then(Path::parent) {
        candidates.push(dir.join("weights.json"));
    }
    if let Some(dir) = env("CARGO_MANIFEST_DIR").filter(|p| !p.is_empty()) {
        candidates.push(Path::new(&dir).join("weights.json"));
    }
    candidates.iter().find(|p| p.is_file()).cloned().ok_or_else(|| {
        let tried: Vec<String> = candidates.iter().map(|p| p.display().to_string()).collect();
        WeightsError(format!(
            "weights.json not found (tried {}); ship it in the zip or set SCORER_WEIGHTS_PATH",
            tried.join(", ")
        ))
    })
}

#[derive(Debug, Clone, PartialEq)]
pub struct WeightsError(pub String);

impl fmt::Display for WeightsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WeightsError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WeightsFile {
    #[serde(default)]
    default_threshold: Option<f64>,
    scorers: BTreeMap<String, RawScorer>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScorer {
    #[serde(default)]
    threshold: Option<f64>,
    weights: BTreeMap<String, f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_scorers_with_default_threshold() {
        let w = Weights::parse(r#"{"scorers": {"7": {"weights": {"Google": 2.25}}}}"#).unwrap();
        let s = w.scorer("7").unwrap();
        assert_eq!(s.threshold.to_string(), "20.00000");
        assert_eq!(s.weights["Google"].to_string(), "2.25000");
        assert!(w.scorer("8").is_none());
    }

    #[test]
    fn file_default_threshold_applies_when_scorer_has_none() {
        let w = Weights::parse(r#"{"default_threshold": 5, "scorers": {"1": {"weights": {}}}}"#).unwrap();
        assert_eq!(w.scorer("1").unwrap().threshold.to_string(), "5.00000");
    }

    #[test]
    fn rejects_negative_weight_naming_scorer_and_provider() {
        let err = Weights::parse(r#"{"scorers": {"1": {"weights": {"Google": -1}}}}"#).unwrap_err();
        assert!(err.0.contains("scorer 1") && err.0.contains("Google"), "{err}");
    }

    #[test]
    fn rejects_empty_and_malformed_files() {
        assert!(Weights::parse(r#"{"scorers": {}}"#).unwrap_err().0.contains("no scorers"));
        assert!(Weights::parse("{").unwrap_err().0.contains("invalid JSON"));
        assert!(Weights::parse(r#"{"scorer": {}}"#).is_err());
    }

    /// The crate directory as cargo tells the test process at run time (not compiled in).
    fn crate_dir() -> String {
        std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR")
    }

    #[test]
    fn shipped_weights_json_is_valid() {
        let path = Path::new(&crate_dir()).join("weights.json");
        let w = Weights::load(&path).unwrap();
        assert!(w.scorer("1").is_some());
    }

    #[test]
    fn locate_prefers_explicit_override_then_task_root() {
        let crate_file = Path::new(&crate_dir()).join("weights.json");
        let explicit = crate_file.display().to_string();
        let found = locate(|k| (k == "SCORER_WEIGHTS_PATH").then(|| explicit.clone()), None).unwrap();
        assert_eq!(found, crate_file);

        let root = crate_dir();
        let found = locate(|k| (k == "LAMBDA_TASK_ROOT").then(|| root.clone()), None).unwrap();
        assert_eq!(found, crate_file);

        let err = locate(|k| (k == "SCORER_WEIGHTS_PATH").then(|| "/nonexistent/w.json".into()), None).unwrap_err();
        assert!(err.0.contains("SCORER_WEIGHTS_PATH=/nonexistent/w.json"), "{err}");
    }

    #[test]
    fn locate_falls_back_to_cargo_manifest_dir_at_run_time() {
        let dir = crate_dir();
        let found = locate(|k| (k == "CARGO_MANIFEST_DIR").then(|| dir.clone()), Some(PathBuf::from("/nonexistent/bin/x")))
            .unwrap();
        assert_eq!(found, Path::new(&dir).join("weights.json"));
    }

    #[test]
    fn locate_has_no_compiled_in_fallback() {
        let err = locate(|_| None, Some(PathBuf::from("/nonexistent/bin/rust-scorer"))).unwrap_err();
        assert!(err.0.contains("weights.json not found (tried /nonexistent/bin/weights.json)"), "{err}");
    }
}
