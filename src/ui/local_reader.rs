//! Local JUnit files (dropped, picked, or re-read after their job was renamed) all go through
//! one queue and one async function, [`read_local`], one file at a time: two 300 MB files read at
//! once would hold both in memory, and a tab has little.

use std::collections::VecDeque;
use std::sync::Arc;

use futures::future::{AbortHandle, Abortable};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::state::{AppState, LocalEntry};
use crate::source::error::human_bytes;
use crate::source::local::{read_bytes, read_results};
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
    queue: StoredValue<Queue, LocalStorage>,
    /// Names of the files waiting or being read, in order.
    pub reading: RwSignal<Vec<String>>,
    /// Files that could not be read at all, each with why (too big, or the browser's reason).
    pub unread: RwSignal<Vec<String>>,
}

#[derive(Default)]
struct Queue {
    jobs: VecDeque<Job>,
    /// The read under way, to stop when the user removes every local file.
    current: Option<AbortHandle>,
}

impl LocalReader {
    pub fn provide(state: AppState) {
        provide_context(LocalReader {
            state,
            queue: StoredValue::new_local(Queue::default()),
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
        if let Some((file_name, _)) = self.entry(id) {
            self.push(file_name, Job::Rename { id, job });
        }
    }

    /// Forgets every local file, including those waiting and the one being read.
    pub fn clear(self) {
        self.queue.update_value(|queue| {
            queue.jobs.clear();
            if let Some(current) = queue.current.take() {
                current.abort();
            }
        });
        self.reading.set(Vec::new());
        self.unread.set(Vec::new());
        self.state.local.set(Vec::new());
    }

    fn push(self, name: String, job: Job) {
        let idle = self.queue.try_update_value(|queue| {
            queue.jobs.push_back(job);
            queue.jobs.len() == 1 && queue.current.is_none()
        });
        self.reading.update(|reading| reading.push(name));
        if idle == Some(true) {
            spawn_local(self.drain());
        }
    }

    /// Reads queued files until none is left; a removed file's read ends where it is.
    async fn drain(self) {
        loop {
            let (abort, registration) = AbortHandle::new_pair();
            let next = self.queue.try_update_value(|queue| {
                let job = queue.jobs.pop_front();
                queue.current = job.is_some().then_some(abort);
                job
            });
            let Some(job) = next.flatten() else {
                return;
            };
            let read = Abortable::new(self.run(job), registration).await;
            self.queue.update_value(|queue| queue.current = None);
            if read.is_ok() {
                self.reading.update(|reading| {
                    reading.drain(..reading.len().min(1));
                });
            }
        }
    }

    /// Reads one file (or re-reads one) and puts it on the page.
    async fn run(self, job: Job) {
        let (id, file_name, bytes, job) = match job {
            Job::Add(file) => match read_file(&file).await {
                Ok(bytes) => {
                    let id = self
                        .state
                        .local
                        .with_untracked(|l| l.last().map_or(0, |e| e.id + 1));
                    let name = file.name();
                    let job = job_from_file_name(&name).to_owned();
                    (id, name, bytes, job)
                }
                Err(reason) => {
                    let message = format!("{} could not be read: {reason}", file.name());
                    return self.unread.update(|unread| unread.push(message));
                }
            },
            Job::Rename { id, job } => match self.entry(id) {
                Some((file_name, bytes)) => (id, file_name, bytes, job),
                None => return,
            },
        };
        let parsed = read_local(&file_name, &bytes, JobName::parse(job.trim())).await;
        self.state
            .local
            .update(|entries| match entries.iter_mut().find(|e| e.id == id) {
                Some(entry) => entry.file = parsed,
                None => entries.push(LocalEntry {
                    id,
                    file_name,
                    bytes,
                    file: parsed,
                }),
            });
    }

    /// The name and bytes of an added file.
    fn entry(self, id: u32) -> Option<(String, Arc<[u8]>)> {
        self.state.local.with_untracked(|entries| {
            let entry = entries.iter().find(|e| e.id == id)?;
            Some((entry.file_name.clone(), entry.bytes.clone()))
        })
    }
}

/// A file's bytes, or why they could not be read.
async fn read_file(file: &web_sys::File) -> Result<Arc<[u8]>, String> {
    let size = file.size() as u64;
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "{} is larger than the {} this page reads",
            human_bytes(size),
            human_bytes(MAX_FILE_BYTES)
        ));
    }
    read_bytes(file).await
}

/// The one way a local file's bytes become a run: parsed in slices that yield to the page.
async fn read_local(file_name: &str, bytes: &[u8], job: JobName) -> LocalFile {
    let results = read_results(bytes, job.sig()).await;
    local_file(file_name, job, results)
}
