//! The inner loops every detector spends its time in, written so the compiler vectorises them, with an
//! AVX2+FMA build of each picked at run time where the processor has it.
//!
//! Each kernel keeps several independent accumulators so that the add latency does not serialise the loop.

/// Sums of `x·cos` and `x·sin` for eight frequencies at once: `re[k] += Σ x[n]·cos[n][k]`, same for `im`.
pub type CorrelateFn = fn(&[f32], &[[f32; 8]], &[[f32; 8]], &mut [f32; 8], &mut [f32; 8]);

/// Sum of squares and sum of samples.
pub type EnergyFn = fn(&[f32]) -> (f32, f32);

/// The best correlate kernel for this processor.
pub fn correlate_kernel() -> CorrelateFn {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
            return correlate_avx2;
        }
    }
    correlate_portable
}

/// The best energy kernel for this processor.
pub fn energy_kernel() -> EnergyFn {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
            return energy_avx2;
        }
    }
    energy_portable
}

fn correlate_portable(x: &[f32], cos: &[[f32; 8]], sin: &[[f32; 8]], re: &mut [f32; 8], im: &mut [f32; 8]) {
    correlate_generic::<false>(x, cos, sin, re, im);
}

#[cfg(target_arch = "x86_64")]
fn correlate_avx2(x: &[f32], cos: &[[f32; 8]], sin: &[[f32; 8]], re: &mut [f32; 8], im: &mut [f32; 8]) {
    // SAFETY: only handed out by `correlate_kernel` after checking the processor has AVX2 and FMA.
    unsafe { correlate_avx2_inner(x, cos, sin, re, im) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn correlate_avx2_inner(x: &[f32], cos: &[[f32; 8]], sin: &[[f32; 8]], re: &mut [f32; 8], im: &mut [f32; 8]) {
    correlate_generic::<true>(x, cos, sin, re, im);
}

#[inline(always)]
fn mac<const FMA: bool>(acc: f32, a: f32, b: f32) -> f32 {
    if FMA { a.mul_add(b, acc) } else { acc + a * b }
}

#[inline(always)]
fn correlate_generic<const FMA: bool>(
    x: &[f32],
    cos: &[[f32; 8]],
    sin: &[[f32; 8]],
    re: &mut [f32; 8],
    im: &mut [f32; 8],
) {
    let n = x.len().min(cos.len()).min(sin.len());
    let (x, cos, sin) = (&x[..n], &cos[..n], &sin[..n]);
    let mut r = [[0f32; 8]; 4];
    let mut i = [[0f32; 8]; 4];
    let (xc, cc, sc) = (x.chunks_exact(4), cos.chunks_exact(4), sin.chunks_exact(4));
    let (xr, cr, sr) = (xc.remainder(), cc.remainder(), sc.remainder());
    for ((xs, cs), ss) in xc.zip(cc).zip(sc) {
        for u in 0..4 {
            for l in 0..8 {
                r[u][l] = mac::<FMA>(r[u][l], xs[u], cs[u][l]);
                i[u][l] = mac::<FMA>(i[u][l], xs[u], ss[u][l]);
            }
        }
    }
    for ((&xv, c), s) in xr.iter().zip(cr).zip(sr) {
        for l in 0..8 {
            r[0][l] = mac::<FMA>(r[0][l], xv, c[l]);
            i[0][l] = mac::<FMA>(i[0][l], xv, s[l]);
        }
    }
    for l in 0..8 {
        re[l] += (r[0][l] + r[1][l]) + (r[2][l] + r[3][l]);
        im[l] += (i[0][l] + i[1][l]) + (i[2][l] + i[3][l]);
    }
}

fn energy_portable(x: &[f32]) -> (f32, f32) {
    energy_generic::<false>(x)
}

#[cfg(target_arch = "x86_64")]
fn energy_avx2(x: &[f32]) -> (f32, f32) {
    // SAFETY: only handed out by `energy_kernel` after checking the processor has AVX2 and FMA.
    unsafe { energy_avx2_inner(x) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn energy_avx2_inner(x: &[f32]) -> (f32, f32) {
    // Written with intrinsics: the compiler's own vectorisation of this reduction spills registers.
    use std::arch::x86_64::*;
    let chunks = x.chunks_exact(16);
    let rest = chunks.remainder();
    let (mut sq0, mut sq1, mut s0, mut s1) =
        (_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps());
    for c in chunks {
        // SAFETY: `c` holds 16 floats, so both unaligned 8-float loads are in bounds.
        let (a, b) = unsafe { (_mm256_loadu_ps(c.as_ptr()), _mm256_loadu_ps(c.as_ptr().add(8))) };
        sq0 = _mm256_fmadd_ps(a, a, sq0);
        sq1 = _mm256_fmadd_ps(b, b, sq1);
        s0 = _mm256_add_ps(s0, a);
        s1 = _mm256_add_ps(s1, b);
    }
    let mut lanes = [0f32; 8];
    let mut sums = [0f32; 8];
    // SAFETY: both arrays hold 8 floats.
    unsafe {
        _mm256_storeu_ps(lanes.as_mut_ptr(), _mm256_add_ps(sq0, sq1));
        _mm256_storeu_ps(sums.as_mut_ptr(), _mm256_add_ps(s0, s1));
    }
    let mut e: f32 = lanes.iter().sum();
    let mut s: f32 = sums.iter().sum();
    for &v in rest {
        e = v.mul_add(v, e);
        s += v;
    }
    (e, s)
}

#[inline(always)]
fn energy_generic<const FMA: bool>(x: &[f32]) -> (f32, f32) {
    let mut sq = [[0f32; 8]; 2];
    let mut sum = [[0f32; 8]; 2];
    let chunks = x.chunks_exact(16);
    let rest = chunks.remainder();
    for c in chunks {
        for u in 0..2 {
            for l in 0..8 {
                let v = c[u * 8 + l];
                sq[u][l] = mac::<FMA>(sq[u][l], v, v);
                sum[u][l] += v;
            }
        }
    }
    let mut e: f32 = (0..8).map(|l| sq[0][l] + sq[1][l]).sum();
    let mut s: f32 = (0..8).map(|l| sum[0][l] + sum[1][l]).sum();
    for &v in rest {
        e += v * v;
        s += v;
    }
    (e, s)
}

/// Dot products of `x` with two tables (one frequency's cos and sin), for single-tone checks.
pub type DotFn = fn(&[f32], &[f32], &[f32]) -> (f32, f32);

/// The best dot-product kernel for this processor.
pub fn dot2_kernel() -> DotFn {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
            return dot2_avx2;
        }
    }
    dot2
}

#[cfg(target_arch = "x86_64")]
fn dot2_avx2(x: &[f32], cos: &[f32], sin: &[f32]) -> (f32, f32) {
    // SAFETY: only handed out by `dot2_kernel` after checking the processor has AVX2 and FMA.
    unsafe { dot2_avx2_inner(x, cos, sin) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn dot2_avx2_inner(x: &[f32], cos: &[f32], sin: &[f32]) -> (f32, f32) {
    dot2(x, cos, sin)
}

/// Dot products of `x` with `cos` and with `sin` (portable build; see `dot2_kernel`).
#[inline(always)]
pub fn dot2(x: &[f32], cos: &[f32], sin: &[f32]) -> (f32, f32) {
    let n = x.len().min(cos.len()).min(sin.len());
    let mut r = [0f32; 8];
    let mut i = [0f32; 8];
    let (xc, cc, sc) = (x[..n].chunks_exact(8), cos[..n].chunks_exact(8), sin[..n].chunks_exact(8));
    let (xr, cr, sr) = (xc.remainder(), cc.remainder(), sc.remainder());
    for ((xs, cs), ss) in xc.zip(cc).zip(sc) {
        for l in 0..8 {
            r[l] += xs[l] * cs[l];
            i[l] += xs[l] * ss[l];
        }
    }
    let mut re: f32 = r.iter().sum();
    let mut im: f32 = i.iter().sum();
    for ((&xv, &c), &s) in xr.iter().zip(cr).zip(sr) {
        re += xv * c;
        im += xv * s;
    }
    (re, im)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_and_portable_kernels_agree() {
        let x: Vec<f32> = (0..83).map(|i| ((i * 37 % 101) as f32 / 50.0) - 1.0).collect();
        let cos: Vec<[f32; 8]> = (0..83).map(|n| std::array::from_fn(|k| ((n * (k + 1)) as f32 * 0.1).cos())).collect();
        let sin: Vec<[f32; 8]> = (0..83).map(|n| std::array::from_fn(|k| ((n * (k + 1)) as f32 * 0.1).sin())).collect();
        let (mut r1, mut i1, mut r2, mut i2) = ([0f32; 8], [0f32; 8], [0f32; 8], [0f32; 8]);
        correlate_portable(&x, &cos, &sin, &mut r1, &mut i1);
        correlate_kernel()(&x, &cos, &sin, &mut r2, &mut i2);
        let direct: Vec<f32> = (0..8).map(|k| x.iter().zip(&cos).map(|(a, c)| a * c[k]).sum()).collect();
        for k in 0..8 {
            assert!((r1[k] - r2[k]).abs() < 1e-4 && (i1[k] - i2[k]).abs() < 1e-4);
            assert!((r1[k] - direct[k]).abs() < 1e-4, "{k}: {} vs {}", r1[k], direct[k]);
        }
        let (e1, s1) = energy_portable(&x);
        let (e2, s2) = energy_kernel()(&x);
        let e: f32 = x.iter().map(|v| v * v).sum();
        assert!((e1 - e).abs() < 1e-3 && (e2 - e).abs() < 1e-3 && (s1 - s2).abs() < 1e-4);
    }
}
