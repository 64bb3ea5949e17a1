//! Numbers shown with one decimal ("7.5 %", "1.2 MB", SVG coordinates).
//!
//! Written from an integer count of tenths rather than with `{:.1}`: any `f64` formatting links
//! core's float printing, about 11 KB of the page's WASM.

/// `value` (not negative) rounded to one decimal, ties to even as `{:.1}` does: `7.5`, `12.0`,
/// `1.2` for 1.25.
pub fn one_decimal(value: f64) -> String {
    let tenths = (value * 10.0).round_ties_even() as u64;
    format!("{}.{}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::one_decimal;

    #[test]
    fn rounds_to_tenths() {
        assert_eq!(one_decimal(0.0), "0.0");
        assert_eq!(one_decimal(7.5), "7.5");
        assert_eq!(one_decimal(12.0), "12.0");
        assert_eq!(one_decimal(100.0 / 3.0), "33.3");
        assert_eq!(one_decimal(200.0 / 3.0), "66.7");
        assert_eq!(one_decimal(9.96), "10.0");
        assert_eq!(one_decimal(1.25), "1.2");
        assert_eq!(one_decimal(1.35), "1.4");
        assert_eq!(one_decimal(1234.04), "1234.0");
    }
}
