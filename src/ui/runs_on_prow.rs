use leptos::prelude::*;

/// Whether the runs on the page come from the public bucket, which Prow and its build-log URLs
/// show. Provided by the page; run links read it so that runs read from another endpoint never
/// link to prow.ci.kubevirt.io as if they were KubeVirt's.
#[derive(Clone, Copy)]
pub struct RunsOnProw(pub Memo<bool>);

impl RunsOnProw {
    pub fn get() -> bool {
        Self::memo().get()
    }

    pub fn memo() -> Memo<bool> {
        expect_context::<RunsOnProw>().0
    }
}
