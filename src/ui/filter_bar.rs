use std::collections::BTreeSet;
use std::sync::Arc;

use leptos::prelude::*;

use super::copy_link::CopyLink;
use super::query::use_query_writer;
use triage_core::dataset::Dataset;
use triage_core::filter::{arch_slug, Filter, KEYS};
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
        let mut options = Options {
            sigs: Sig::always_shown().into_iter().collect(),
            ..Options::default()
        };
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
    let first = move |key: &'static str| {
        Signal::from(Memo::new(move |_| {
            filter.with(|f| {
                f.to_query()
                    .into_iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v.split(',').next().unwrap_or_default().to_owned())
                    .unwrap_or_default()
            })
        }))
    };
    let set = {
        let write = write.clone();
        move |key: &'static str| {
            let write = write.clone();
            move |value: String| write(vec![(key, Some(value))])
        }
    };
    let clear = move |_| write(KEYS.iter().map(|key| (*key, None)).collect());
    let list = |items: BTreeSet<String>| {
        items
            .into_iter()
            .map(|v| (v.clone(), v))
            .collect::<Vec<_>>()
    };
    view! {
        <form class="filters" aria-label="Filters" on:submit=|ev| ev.prevent_default()>
            <FilterSelect label="SIG" value=first("sig") on_change=set("sig")
                options=Signal::derive(move || options.with(|o| o.sigs.iter().map(|s| (s.slug().to_owned(), s.label())).collect()))/>
            <FilterSelect label="Failure kind" value=first("kind") on_change=set("kind")
                options=Signal::derive(move || kinds.clone())/>
            <FilterSelect label="Job" value=first("job") on_change=set("job")
                options=Signal::derive(move || options.with(|o| list(o.jobs.clone())))/>
            <FilterSelect label="k8s" value=first("k8s") on_change=set("k8s")
                options=Signal::derive(move || options.with(|o| list(o.k8s.clone())))/>
            <FilterSelect label="Branch" value=first("branch") on_change=set("branch")
                options=Signal::derive(move || options.with(|o| list(o.branches.clone())))/>
            <FilterSelect label="Lane" value=first("lane") on_change=set("lane")
                options=Signal::derive(move || options.with(|o| list(o.lanes.clone())))/>
            <FilterSelect label="Arch" value=first("arch") on_change=set("arch")
                options=Signal::derive(move || options.with(|o| o.arches.iter().map(|a| (a.to_string(), a.to_string())).collect()))/>
            <FilterSelect label="Window" value=first("days") on_change=set("days")
                options=Signal::derive(|| [1, 2, 3, 7, 14].map(|d| (d.to_string(), format!("last {d} days"))).to_vec())/>
            <label class="filter text-filter">
                <span>"Search"</span>
                <input type="search" aria-label="Search" placeholder="test, message or job" prop:value=first("q")
                    on:change={
                        let set = set("q");
                        move |ev| set(event_target_value(&ev))
                    }/>
            </label>
            <div class="filter-actions">
                <button type="button" class="button subtle" on:click=clear>"Clear filters"</button>
                <CopyLink/>
            </div>
        </form>
    }
}

/// One labelled select; the empty choice means "all".
#[component]
fn FilterSelect(
    label: &'static str,
    value: Signal<String>,
    options: Signal<Vec<(String, String)>>,
    on_change: impl Fn(String) + 'static,
) -> impl IntoView {
    view! {
        <label class="filter">
            <span>{label}</span>
            <select aria-label=label on:change=move |ev| on_change(event_target_value(&ev)) prop:value=value>
                <option value="">"All"</option>
                {move || {
                    options.get().into_iter().map(|(option, text)| {
                        let selected = {
                            let option = option.clone();
                            move || value.with(|value| value == &option)
                        };
                        view! { <option value=option selected=selected>{text}</option> }
                    }).collect_view()
                }}
            </select>
        </label>
    }
}
