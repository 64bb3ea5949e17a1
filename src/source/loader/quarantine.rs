//! Reading KubeVirt's quarantine list once per load. It changes daily, so it is never cached;
//! a missing or malformed list is a notice on the page, never a failed load.

use triage_core::prow::QUARANTINE_LIST;
use triage_core::verdict::QuarantineList;

use super::Session;
use crate::source::bounds::MAX_QUARANTINE_BYTES;
use crate::source::bucket::text;

impl Session {
    pub(super) async fn read_quarantine(&self) {
        let url = self.bucket.object_url(QUARANTINE_LIST);
        let list = match self.fetch(QUARANTINE_LIST, MAX_QUARANTINE_BYTES).await {
            Ok(Some(bytes)) => text(&url, &bytes)
                .map_err(|error| error.reason())
                .and_then(QuarantineList::parse),
            Ok(None) => Err("not found".to_owned()),
            Err(error) => Err(error.reason()),
        };
        if !self.cancelled.get() {
            self.outlet.quarantine(list);
        }
    }
}
