//! Research analysis after Cha et al., "Measuring User Influence in Twitter: The Million
//! Follower Fallacy" (ICWSM 2010): Spearman rank correlations between influence measures, over
//! all accounts and over the top 10% and top 1%. For a pair of measures the top x% is the union
//! of the top x% accounts by each measure (ties by account number), as in the paper's
//! "top users" rows. Reading inputs and printing the table is left to the CLI.

use rayon::prelude::*;

/// One row of the table.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Correlation {
    pub a: String,
    pub b: String,
    pub all: f64,
    pub top10: f64,
    pub top1: f64,
}

/// Ranks `1..=n` of `x` ascending, ties sharing their average rank.
pub fn average_ranks(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&i, &j| x[i].total_cmp(&x[j]).then(i.cmp(&j)));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < idx.len() {
        let j = i + idx[i..].iter().take_while(|&&k| x[k] == x[idx[i]]).count();
        let avg = (i + j + 1) as f64 / 2.0;
        idx[i..j].iter().for_each(|&k| r[k] = avg);
        i = j;
    }
    r
}

/// Pearson correlation; NaN when either side is constant.
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    sxy / (sxx * syy).sqrt()
}

/// Spearman's rank correlation of `x` and `y`.
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    pearson(&average_ranks(x), &average_ranks(y))
}

/// The indices of the top `frac` of `x` (at least one), ties by index.
fn top(x: &[f64], frac: f64) -> Vec<usize> {
    let k = ((x.len() as f64 * frac).ceil() as usize).clamp(1, x.len());
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&i, &j| x[j].total_cmp(&x[i]).then(i.cmp(&j)));
    idx.truncate(k);
    idx
}

/// Spearman over the union of the top `frac` by `x` and by `y`.
pub fn spearman_top(x: &[f64], y: &[f64], frac: f64) -> f64 {
    let mut keep = top(x, frac);
    keep.extend(top(y, frac));
    keep.sort_unstable();
    keep.dedup();
    let sub = |v: &[f64]| keep.iter().map(|&i| v[i]).collect::<Vec<f64>>();
    spearman(&sub(x), &sub(y))
}

/// Every pair of the named measures (in order), over all, top 10% and top 1%.
pub fn correlations(measures: &[(&str, Vec<f64>)]) -> Vec<Correlation> {
    let mut pairs = Vec::new();
    for i in 0..measures.len() {
        for j in i + 1..measures.len() {
            pairs.push((i, j));
        }
    }
    pairs
        .par_iter()
        .map(|&(i, j)| {
            let (x, y) = (&measures[i].1, &measures[j].1);
            Correlation {
                a: measures[i].0.to_string(),
                b: measures[j].0.to_string(),
                all: spearman(x, y),
                top10: spearman_top(x, y, 0.10),
                top1: spearman_top(x, y, 0.01),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_and_known_values() {
        assert_eq!(
            average_ranks(&[10.0, 20.0, 10.0, 5.0]),
            vec![2.5, 4.0, 2.5, 1.0]
        );
        assert!((spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]) - 1.0).abs() < 1e-12);
        assert!((spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
        // scipy.stats.spearmanr([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) = 0.8
        let r = spearman(&[1.0, 2.0, 3.0, 4.0, 5.0], &[2.0, 1.0, 4.0, 3.0, 5.0]);
        assert!((r - 0.8).abs() < 1e-12);
        // With ties: spearmanr([1, 1, 2, 3], [1, 2, 2, 3]) = 0.8333… (scipy 1.x)
        let r = spearman(&[1.0, 1.0, 2.0, 3.0], &[1.0, 2.0, 2.0, 3.0]);
        assert!((r - 0.833_333_333_333_333_5).abs() < 1e-12);
    }
}
