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
}
