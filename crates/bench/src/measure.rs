//! Timing: run an operation many times after a warm-up, keep every sample, report the median
//! and the tail. Each metric carries the target, so the table says at a glance which
//! ones are met; the targets are for the full vault in a release build and are not checked here
//! (the quick mode's regression checks are ratios, in `main.rs`).

use std::time::{Duration, Instant};

use serde::Serialize;

/// Which statistic a target applies to.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Stat {
    Median,
    P95,
    P99,
}

/// A target from the issue: `stat` at most `ms`.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Target {
    pub stat: Stat,
    pub ms: f64,
}

/// One timed operation.
#[derive(Debug, Clone, Serialize)]
pub struct Metric {
    /// A stable key for the JSON (`global_common`, …).
    pub key: &'static str,
    /// What was timed, for the table.
    pub label: String,
    /// Samples taken.
    pub n: usize,
    pub median_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// The targets (all must hold).
    pub targets: Vec<Target>,
    /// Whether every target holds (`None`: no target).
    pub met: Option<bool>,
}

impl Metric {
    /// The value of one statistic.
    pub fn stat(&self, s: Stat) -> f64 {
        match s {
            Stat::Median => self.median_ms,
            Stat::P95 => self.p95_ms,
            Stat::P99 => self.p99_ms,
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The `q` quantile of sorted samples, nearest rank.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let i = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

/// What one timed operation is called and must meet.
#[derive(Debug, Clone)]
pub struct Spec {
    pub key: &'static str,
    pub label: String,
    pub targets: Vec<Target>,
}

/// Times `op` `n` times after `warm` untimed runs; `op` gets the run's number (so a caller can
/// rotate through queries).
pub fn time<E: std::fmt::Display>(
    key: &'static str,
    label: impl Into<String>,
    warm: usize,
    n: usize,
    targets: &[Target],
    mut op: impl FnMut(usize) -> Result<(), E>,
) -> Result<Metric, String> {
    let spec = Spec { key, label: label.into(), targets: targets.to_vec() };
    Ok(interleaved(vec![spec], warm, n, |_, i| op(i))?.remove(0))
}

/// Times several operations round-robin (`op(which, run)`), so a machine whose load changes
/// during the run slows all of them alike and their ratios stay meaningful.
pub fn interleaved<E: std::fmt::Display>(
    specs: Vec<Spec>,
    warm: usize,
    n: usize,
    mut op: impl FnMut(usize, usize) -> Result<(), E>,
) -> Result<Vec<Metric>, String> {
    let fail = |w: usize, e: E| format!("{}: {e}", specs[w].label);
    for i in 0..warm {
        for w in 0..specs.len() {
            op(w, i).map_err(|e| fail(w, e))?;
        }
    }
    let mut samples = vec![Vec::with_capacity(n); specs.len()];
    for i in 0..n {
        for (w, s) in samples.iter_mut().enumerate() {
            let t = Instant::now();
            op(w, i).map_err(|e| fail(w, e))?;
            s.push(ms(t.elapsed()));
        }
    }
    Ok(specs.into_iter().zip(samples).map(|(spec, s)| metric(spec, s)).collect())
}

fn metric(spec: Spec, mut samples: Vec<f64>) -> Metric {
    samples.sort_by(f64::total_cmp);
    let mut m = Metric {
        key: spec.key,
        label: spec.label,
        n: samples.len(),
        median_ms: quantile(&samples, 0.5),
        p95_ms: quantile(&samples, 0.95),
        p99_ms: quantile(&samples, 0.99),
        max_ms: samples.last().copied().unwrap_or_default(),
        targets: spec.targets,
        met: None,
    };
    if !m.targets.is_empty() {
        m.met = Some(m.targets.iter().all(|t| m.stat(t.stat) <= t.ms));
    }
    m
}

fn target_text(targets: &[Target]) -> String {
    targets
        .iter()
        .map(|t| {
            let s = match t.stat {
                Stat::Median => "median",
                Stat::P95 => "p95",
                Stat::P99 => "p99",
            };
            format!("{s} ≤{}", t.ms)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The metrics as a fixed-width table.
pub fn table(metrics: &[Metric]) -> String {
    let w = metrics.iter().map(|m| m.label.chars().count()).max().unwrap_or(10).max(10);
    let mut out = format!(
        "{:<w$}  {:>5}  {:>9}  {:>9}  {:>9}  {:>9}  target (ms)\n",
        "operation", "runs", "median", "p95", "p99", "max"
    );
    for m in metrics {
        let verdict = match m.met {
            Some(true) => "  ok",
            Some(false) => "  MISSED",
            None => "",
        };
        out.push_str(&format!(
            "{:<w$}  {:>5}  {:>6.2} ms  {:>6.2} ms  {:>6.2} ms  {:>6.2} ms  {}{}\n",
            m.label,
            m.n,
            m.median_ms,
            m.p95_ms,
            m.p99_ms,
            m.max_ms,
            target_text(&m.targets),
            verdict
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!((quantile(&v, 0.5), quantile(&v, 0.95), quantile(&v, 0.99)), (50.0, 95.0, 99.0));
        assert_eq!(quantile(&[3.0], 0.99), 3.0);
    }
}
