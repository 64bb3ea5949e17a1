use std::collections::BTreeSet;
use std::sync::Arc;

use leptos::prelude::*;

use super::copy_link::CopyLink;
use super::filter_select::FilterSelect;
use super::query::use_query_writer;
use super::show_toggle::ShowToggle;
use crate::params::{
    self, Group, Param, ARCH, BRANCH, DAYS, JOB, K8S, KIND, LANE, OPTIONAL, PR_FAILURES,
    QUARANTINED, SIG, TEXT, TRIGGER,
};
use triage_core::dataset::Dataset;
use triage_core::filter::{arch_slug, Filter};
use triage_core::prow::RunKind;
use triage_core::rules::RuleSet;
use triage_core::sig::Sig;

/// The values each filter can take, from what is loaded.
#[derive(Clone, Debug, Default, PartialEq)]
struct Options {
    sigs: BTreeSet<Sig>,
    jobs: BTreeSet<String>,
    k8s: BTreeSet<String>,
    branches: BTreeSet<String>,
    lanes: BTreeSet<String>,
    arches: BTreeSet<&'static str>,
}

impl Options {
    /// The SIGs, jobs and job-name parts of everything loaded, from its index: each job once.
    fn of(data: &Dataset) -> Options {
        // Extended, not collected: collecting a set sorts it with one more sort routine.
        let mut options = Options::default();
        options.sigs.extend(Sig::always_shown());
        options
            .sigs
            .extend(data.sigs.iter().map(|(_, sig)| sig.clone()));
        for (_, job) in data.jobs.iter() {
            options.jobs.insert(job.raw.clone());
            options.k8s.extend(job.k8s_version.map(|v| v.to_string()));
            options.branches.insert(job.branch.to_string());
            options
                .lanes
                .extend((!job.lane.is_empty()).then(|| job.lane.clone()));
            options
                .lanes
                .extend(job.modifiers.iter().map(|m| m.as_str().to_owned()));
            options.arches.insert(arch_slug(job.arch()));
        }
        options
    }
}

/// Every filter of the report; each writes its URL parameter, so the view is a link.
#[component]
pub fn FilterBar(filter: Memo<Filter>, data: Memo<Arc<Dataset>>) -> impl IntoView {
    let options = Memo::new(move |_| data.with(|data| Options::of(data)));
    let write = use_query_writer();
    let kinds: Vec<(String, String)> = RuleSet::builtin()
        .rules()
        .iter()
        .map(|rule| (rule.id.clone(), rule.label.clone()))
        .collect();
    // Memos, so that a filter change updates only the control whose value changed.
    let first = move |param: Param| {
        Signal::from(Memo::new(move |_| {
            filter.with(|f| {
                f.to_query()
                    .into_iter()
                    .find(|(k, _)| *k == param.name)
                    .map(|(_, v)| v.split(',').next().unwrap_or_default().to_owned())
                    .unwrap_or_default()
            })
        }))
    };
    let set = {
        let write = write.clone();
        move |param: Param| {
            let write = write.clone();
            move |value: String| write(vec![(param.name, Some(value))])
        }
    };
    let clear = move |_| {
        let view = params::ALL.iter().filter(|p| p.group == Group::View);
        write(view.map(|param| (param.name, None)).collect())
    };
    let list = |items: BTreeSet<String>| {
        items
            .into_iter()
            .map(|v| (v.clone(), v))
            .collect::<Vec<_>>()
    };
    view! {
        <form class="filters" aria-label="Filters" on:submit=|ev| ev.prevent_default()>
            <FilterSelect label="SIG" value=first(SIG) on_change=set(SIG)
                options=Signal::derive(move || options.with(|o| o.sigs.iter().map(|s| (s.slug().to_owned(), s.label())).collect()))/>
            <FilterSelect label="Failure kind" value=first(KIND) on_change=set(KIND)
                options=Signal::derive(move || kinds.clone())/>
            <FilterSelect label="Job" value=first(JOB) on_change=set(JOB)
                options=Signal::derive(move || options.with(|o| list(o.jobs.clone())))/>
            <FilterSelect label="k8s" value=first(K8S) on_change=set(K8S)
                options=Signal::derive(move || options.with(|o| list(o.k8s.clone())))/>
            <FilterSelect label="Branch" value=first(BRANCH) on_change=set(BRANCH)
                options=Signal::derive(move || options.with(|o| list(o.branches.clone())))/>
            <FilterSelect label="Lane" value=first(LANE) on_change=set(LANE)
                options=Signal::derive(move || options.with(|o| list(o.lanes.clone())))/>
            <FilterSelect label="Arch" value=first(ARCH) on_change=set(ARCH)
                options=Signal::derive(move || options.with(|o| o.arches.iter().map(|a| (a.to_string(), a.to_string())).collect()))/>
            <FilterSelect label="Trigger" value=first(TRIGGER) on_change=set(TRIGGER)
                options=Signal::derive(|| RunKind::ALL.map(|k| (k.slug().to_owned(), k.slug().to_owned())).to_vec())/>
            <FilterSelect label="Window" value=first(DAYS) on_change=set(DAYS)
                options=Signal::derive(|| [1, 2, 3, 7, 14].map(|d| (d.to_string(), format!("last {d} days"))).to_vec())/>
            <label class="filter text-filter">
                <span>"Search"</span>
                <input type="search" aria-label="Search" placeholder="test, message or job" prop:value=first(TEXT)
                    on:change={
                        let set = set(TEXT);
                        move |ev| set(event_target_value(&ev))
                    }/>
            </label>
            <ShowToggle filter=filter param=OPTIONAL shown=|f| f.optional label="Show optional lanes"
                hint="default: required lanes only, as ci-health counts"/>
            <ShowToggle filter=filter param=PR_FAILURES shown=|f| f.pr_failures label="Show one PR's own failures"
                hint="default: kept apart, listed per PR"/>
            <ShowToggle filter=filter param=QUARANTINED shown=|f| f.quarantined label="Show quarantined tests"
                hint="default: left out"/>
            <div class="filter-actions">
                <button type="button" class="button subtle" on:click=clear>"Clear filters"</button>
                <CopyLink/>
            </div>
        </form>
    }
}
