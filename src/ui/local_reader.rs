//! Local JUnit files (dropped, picked, or re-read after their job was renamed) all go through
//! one queue and one async function, [`read_local`], one file at a time: two 300 MB files read at
//! once would hold both in memory, and a tab has little.

use std::collections::VecDeque;

use futures::future::{AbortHandle, Abortable};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::state::{AppState, LocalEntry};
use crate::source::local::{read_bytes, read_results};
use crate::source::status::human_bytes;
use triage_core::job::JobName;
use triage_core::local::{job_from_file_name, local_file, LocalFile};

/// Largest file the page reads: its bytes are kept (to re-read on rename) in a WASM memory that
/// never shrinks and cannot pass 4 GB.
pub const MAX_FILE_BYTES: u64 = 512 * 1000 * 1000;

/// What to read next.
enum Job {
    /// A file the user dropped or picked.
    Add(web_sys::File),
    /// An added file again, under another job name.
    Rename { id: u32, job: String },
}

/// The queue of local files to read, and what the page shows about it. Provided by the page.
#[derive(Clone, Copy)]
pub struct LocalReader {
    state: AppState,
    queue: StoredValue<VecDeque<Job>, LocalStorage>,
    /// The read under way, to stop when the user removes every local file.
    current: StoredValue<Option<AbortHandle>, LocalStorage>,
    /// Names of the files waiting or being read, in order.
    pub reading: RwSignal<Vec<String>>,
    /// Files that could not be read at all, with why (too big, or the browser's reason).
    pub unread: RwSignal<Vec<(String, String)>>,
}

impl LocalReader {
    pub fn provide(state: AppState) {
        provide_context(LocalReader {
            state,
            queue: StoredValue::new_local(VecDeque::new()),
            current: StoredValue::new_local(None),
            reading: RwSignal::new(Vec::new()),
            unread: RwSignal::new(Vec::new()),
        });
    }

    pub fn get() -> LocalReader {
        expect_context::<LocalReader>()
    }

    /// Queues files to be read and added to the report.
    pub fn add(self, files: Vec<web_sys::File>) {
        for file in files {
            self.push(file.name(), Job::Add(file));
        }
    }

    /// Queues reading an added file again as a run of `job`.
    pub fn rename(self, id: u32, job: String) {
        let name = self.state.local.with_untracked(|entries| {
            entries
                .iter()
                .find(|e| e.id == id)
                .map(|e| e.file_name.clone())
        });
        if let Some(name) = name {
            self.push(name, Job::Rename { id, job });
        }
    }

    /// Forgets every local file, including those waiting and the one being read.
    pub fn clear(self) {
        self.queue.update_value(VecDeque::clear);
        if let Some(current) = self.current.get_value() {
            current.abort();
        }
        self.reading.set(Vec::new());
        self.unread.set(Vec::new());
        self.state.local.set(Vec::new());
    }

    fn push(self, name: String, job: Job) {
        let idle =
            self.queue.with_value(VecDeque::is_empty) && self.current.with_value(Option::is_none);
        self.queue.update_value(|queue| queue.push_back(job));
        self.reading.update(|reading| reading.push(name));
        if idle {
            spawn_local(self.drain());
        }
    }

    /// Reads queued files until none is left; a removed file's read ends where it is.
    async fn drain(self) {
        while let Some(job) = self.queue.try_update_value(VecDeque::pop_front).flatten() {
            let (abort, registration) = AbortHandle::new_pair();
            self.current.set_value(Some(abort));
            let read = Abortable::new(self.run(job), registration).await;
            self.current.set_value(None);
            if read.is_ok() {
                self.reading.update(|reading| {
                    reading.drain(..reading.len().min(1));
                });
            }
        }
    }

    async fn run(self, job: Job) {
        match job {
            Job::Add(file) => {
                let file_name = file.name();
                match read_file(&file).await {
                    Ok((bytes, parsed)) => self.state.local.update(|entries| {
                        let id = entries.last().map_or(0, |e| e.id + 1);
                        entries.push(LocalEntry {
                            id,
                            file_name,
                            bytes,
                            file: parsed,
                        });
                    }),
                    Err(reason) => self
                        .unread
                        .update(|unread| unread.push((file_name, reason))),
                }
            }
            Job::Rename { id, job } => {
                let Some(entry) = self
                    .state
                    .local
                    .with_untracked(|entries| entries.iter().find(|e| e.id == id).cloned())
                else {
                    return;
                };
                let parsed =
                    read_local(&entry.file_name, &entry.bytes, JobName::parse(job.trim())).await;
                self.state.local.update(|entries| {
                    if let Some(entry) = entries.iter_mut().find(|e| e.id == id) {
                        entry.file = parsed;
                    }
                });
            }
        }
    }
}

/// A file's bytes and what they hold, or why they could not be read.
async fn read_file(file: &web_sys::File) -> Result<(std::sync::Arc<[u8]>, LocalFile), String> {
    let size = file.size() as u64;
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "{} is larger than the {} this page reads",
            human_bytes(size),
            human_bytes(MAX_FILE_BYTES)
        ));
    }
    let bytes = read_bytes(file).await?;
    let file_name = file.name();
    let job = JobName::parse(job_from_file_name(&file_name));
    let parsed = read_local(&file_name, &bytes, job).await;
    Ok((bytes, parsed))
}

/// The one way a local file's bytes become a run: parsed in slices that yield to the page.
async fn read_local(file_name: &str, bytes: &[u8], job: JobName) -> LocalFile {
    let results = read_results(bytes, job.sig()).await;
    local_file(file_name, job, results)
}
