//! English count phrases shared by the cards and the exports.

/// "1 failure", "3 failures": the count and the noun, pluralised with a plain "s".
pub fn count(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn pluralises_all_but_one() {
        assert_eq!(count(1u32, "test"), "1 test");
        assert_eq!(count(0u32, "test"), "0 tests");
        assert_eq!(count(12u32, "failure"), "12 failures");
    }
}
