//! A list made the first time it is read. A report is rebuilt on every filter change, but its
//! longest lists (every failing test, every cluster's tests) are read only when someone opens a
//! drill-down or exports; making them on demand keeps a change within a frame.

use std::fmt;
use std::sync::{Arc, LazyLock};

type Make<T> = Box<dyn FnOnce() -> Arc<[T]> + Send>;

/// A shared list whose length is known up front and whose items are made on first read.
pub struct Deferred<T> {
    len: usize,
    items: Arc<LazyLock<Arc<[T]>, Make<T>>>,
}

impl<T: 'static> Deferred<T> {
    /// A list of `len` items that `make` will produce when first read.
    pub fn new(len: usize, make: impl FnOnce() -> Vec<T> + Send + 'static) -> Self {
        let make: Make<T> = Box::new(move || make().into());
        Deferred {
            len,
            items: Arc::new(LazyLock::new(make)),
        }
    }

    pub fn empty() -> Self {
        Self::new(0, Vec::new)
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The items, made now if this is the first read.
    pub fn get(&self) -> Arc<[T]> {
        Arc::clone(LazyLock::force(&self.items))
    }
}

impl<T> Clone for Deferred<T> {
    fn clone(&self) -> Self {
        Deferred {
            len: self.len,
            items: Arc::clone(&self.items),
        }
    }
}

impl<T: PartialEq + 'static> PartialEq for Deferred<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.get() == other.get()
    }
}

impl<T> fmt::Debug for Deferred<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Deferred({} items)", self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn items_are_made_once_on_first_read() {
        static MADE: AtomicUsize = AtomicUsize::new(0);
        let list = Deferred::new(2, || {
            MADE.fetch_add(1, Ordering::SeqCst);
            vec!["a", "b"]
        });
        let copy = list.clone();
        assert_eq!(list.len(), 2);
        assert_eq!(MADE.load(Ordering::SeqCst), 0, "nothing made before a read");
        assert_eq!(&*copy.get(), ["a", "b"]);
        assert_eq!(&*list.get(), ["a", "b"]);
        assert_eq!(MADE.load(Ordering::SeqCst), 1, "clones share the made list");
    }
}
