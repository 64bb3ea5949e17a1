//! Ordering the report's lists. Every list goes through the same two sorts, one over integer
//! keys and one over names (to rank them once per load), because each distinct sort compiled
//! into the speed-optimised core costs the page kilobytes.

/// Each name's position when all are sorted.
pub fn ranks<'a>(names: impl Iterator<Item = &'a str>) -> Vec<u32> {
    let mut sorted: Vec<(&str, u32)> = names.zip(0..).collect();
    sorted.sort_unstable();
    let mut ranks = vec![0; sorted.len()];
    for (rank, (_, at)) in (0..).zip(sorted) {
        ranks[at as usize] = rank;
    }
    ranks
}

/// `items` in ascending order of `key`; items with equal keys keep their order.
pub fn by_key<T>(items: Vec<T>, key: impl Fn(&T) -> u64) -> Vec<T> {
    let mut keys: Vec<(u64, u32)> = items.iter().map(key).zip(0..).collect();
    keys.sort_unstable();
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    keys.into_iter()
        .filter_map(|(_, at)| slots[at as usize].take())
        .collect()
}

/// `items`, largest `count` first, equal counts by `name`, equal names as given: the order of a
/// stable sort by count then name, through the one integer sort.
pub fn most_first_by_name<T>(
    items: Vec<T>,
    name: impl Fn(&T) -> &str,
    count: impl Fn(&T) -> u32,
) -> Vec<T> {
    let ranks = ranks(items.iter().map(name));
    let ranked = by_key(ranks.into_iter().zip(items).collect(), |(rank, item)| {
        most_first(count(item), *rank)
    });
    ranked.into_iter().map(|(_, item)| item).collect()
}

/// A key in `f64::total_cmp` order.
pub fn float_key(value: f64) -> u64 {
    let bits = value.to_bits();
    match bits >> 63 {
        1 => !bits,
        _ => bits | 1 << 63,
    }
}

/// A key that puts larger counts first, and equal counts in `rank` order.
pub fn most_first(count: u32, rank: u32) -> u64 {
    (u64::from(u32::MAX - count) << 32) | u64::from(rank)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_follow_names() {
        assert_eq!(ranks(["m", "z", "a"].into_iter()), [1, 2, 0]);
    }

    #[test]
    fn most_failures_first_then_by_rank_then_as_given() {
        let items = vec![("b", 1, 1), ("a", 3, 0), ("c", 1, 0), ("d", 1, 0)];
        let sorted = by_key(items, |(_, count, rank)| most_first(*count, *rank));
        let names: Vec<&str> = sorted.iter().map(|(name, _, _)| *name).collect();
        assert_eq!(names, ["a", "c", "d", "b"]);
    }

    #[test]
    fn most_first_then_by_name_then_as_given() {
        let items = vec![("b", 1, 0), ("a", 1, 1), ("c", 3, 2), ("a", 1, 3)];
        let sorted = most_first_by_name(items, |(name, ..)| name, |(_, count, _)| *count);
        let at: Vec<u32> = sorted.iter().map(|(.., at)| *at).collect();
        assert_eq!(at, [2, 1, 3, 0]);
    }

    #[test]
    fn float_keys_follow_total_cmp() {
        let values = [-1.0, -0.0, 0.0, 0.5, 7.7, 100.0, f64::INFINITY];
        for pair in values.windows(2) {
            assert!(float_key(pair[0]) < float_key(pair[1]), "{pair:?}");
        }
    }
}
