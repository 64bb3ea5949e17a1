//! Words: English count phrases shared by the cards and the exports, and the slugs that name
//! SIGs and failure rules.

/// "1 failure", "3 failures": the count and the noun, pluralised with a plain "s".
pub fn count(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Lowercase ASCII words of letters and digits joined by single dashes: `performance`,
/// `compute-migrations`, `live-migration`.
pub fn is_slug(text: &str) -> bool {
    text.split('-').all(|word| {
        !word.is_empty()
            && word
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::{count, is_slug};

    #[test]
    fn slugs_are_lowercase_words_and_single_dashes() {
        for good in ["performance", "compute-migrations", "k8s-1-34", "a"] {
            assert!(is_slug(good), "{good:?}");
        }
        for bad in ["", "-", "a-", "-a", "a--b", "A", "a_b", "a b", "ä", "a/b"] {
            assert!(!is_slug(bad), "{bad:?}");
        }
    }

    #[test]
    fn pluralises_all_but_one() {
        assert_eq!(count(1u32, "test"), "1 test");
        assert_eq!(count(0u32, "test"), "0 tests");
        assert_eq!(count(12u32, "failure"), "12 failures");
    }
}
