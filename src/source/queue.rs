//! The order a load runs its steps in.

use std::collections::VecDeque;

use super::discover::Task;

/// How many of a load's slots run loads may keep while listings wait.
pub const RUN_SLOTS: usize = 2;

/// The steps waiting to run: listings, and the rest (run loads, pointer reads).
#[derive(Default)]
pub struct Queue {
    listings: VecDeque<Task>,
    others: VecDeque<Task>,
    listings_running: usize,
}

impl Queue {
    pub fn extend(&mut self, steps: Vec<Task>) {
        for step in steps {
            match step.is_listing() {
                true => self.listings.push_back(step),
                false => self.others.push_back(step),
            }
        }
    }

    /// The next step to start with `slots` in all: a listing while listings hold fewer than
    /// `slots - RUN_SLOTS` (or nothing else waits), else another step.
    pub fn next(&mut self, slots: usize) -> Option<Task> {
        let listing_room = self.listings_running + RUN_SLOTS < slots || self.others.is_empty();
        let step = match listing_room {
            true => self
                .listings
                .pop_front()
                .or_else(|| self.others.pop_front()),
            false => self.others.pop_front(),
        }?;
        self.listings_running += usize::from(step.is_listing());
        Some(step)
    }

    pub fn done(&mut self, step: &Task) {
        self.listings_running -= usize::from(step.is_listing());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(job: &str) -> Task {
        Task::ListRuns {
            root: crate::source::discover::JobRoot::Periodics,
            job: job.to_owned(),
            builds: None,
        }
    }

    fn pointer(n: u32) -> Task {
        Task::FollowPointer {
            object: format!("pr-logs/directory/j/{n}.txt"),
        }
    }

    #[test]
    fn listings_first_but_run_loads_keep_their_slots() {
        let mut queue = Queue::default();
        queue.extend((0..10).map(|n| listing(&n.to_string())).collect());
        queue.extend((0..10).map(pointer).collect());
        let started: Vec<bool> = (0..8)
            .map(|_| queue.next(8).unwrap().is_listing())
            .collect();
        assert_eq!(
            started.iter().filter(|listing| **listing).count(),
            8 - RUN_SLOTS
        );
        assert!(started[..8 - RUN_SLOTS].iter().all(|listing| *listing));
        queue.done(&listing("0"));
        assert!(
            queue.next(8).unwrap().is_listing(),
            "a listing's slot goes to a listing"
        );
    }

    #[test]
    fn a_lone_kind_of_step_takes_every_slot() {
        let mut queue = Queue::default();
        queue.extend((0..10).map(|n| listing(&n.to_string())).collect());
        assert!((0..8).all(|_| queue.next(8).is_some_and(|step| step.is_listing())));
        let mut queue = Queue::default();
        queue.extend((0..10).map(pointer).collect());
        assert!((0..8).all(|_| queue.next(8).is_some()));
        assert_eq!(queue.next(1).map(|step| step.is_listing()), Some(false));
    }
}
