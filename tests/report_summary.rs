//! The Markdown of a report built from fixtures shaped like the runs behind
//! `../shared/examples/sig-failure-summary.md` lists the same SIG sections, failure kinds and
//! failing jobs as that hand-written summary.

use std::sync::Arc;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{TimeZone, Utc};
use triage_core::dataset::Dataset;
use triage_core::filter::Filter;
use triage_core::job::JobName;
use triage_core::markdown;
use triage_core::prow::{BuildId, RunPath};
use triage_core::run::{Run, RunOrigin, RunStatus, TestResults};
use triage_core::summary::{JobTotals, Report, Scope};
use triage_core::testdata::JunitXml;
use triage_core::verdict::{Earlier, Verdicts, Window};

const EXAMPLE: &str = include_str!("fixtures/sig-failure-summary.md");

/// (job, test name, failure message): one failing test per common failure of the example.
const FAILURES: &[(&str, &str, &str)] = &[
    // SIG Compute: timeouts to Running, live migration target pod, infrastructure, test-specific.
    ("pull-kubevirt-e2e-k8s-1.34-sig-compute-serial", "[sig-compute]VMIlifecycle [rfe_id:273][crit:high]Creating a VirtualMachineInstance [test_id:1621]should start it", "Timed out after 360.001s. Timed out waiting for VMI testvmi-pw4cx to enter [Running] phase(s)"),
    ("pull-kubevirt-e2e-k8s-1.34-sig-compute-migrations-1.7", "[sig-compute-migrations]VM Live Migration Starting a VirtualMachineInstance with a target pod that fails should fail the migration", "migration should not fail\nExpected\n    <v1.VirtualMachineInstanceMigrationPhase>: Failed\nnot to equal\n    <v1.VirtualMachineInstanceMigrationPhase>: Failed"),
    ("pull-kubevirt-e2e-k8s-1.33-sig-compute", "[sig-compute]Cluster profiler [Serial]should gather profiling data from all components", "Timed out after 120.000s. cluster profiler results are empty"),
    ("pull-kubevirt-e2e-k8s-1.34-sig-compute-migrations", "[sig-compute-migrations]VM Live Migration with a dedicated node should migrate when the target pod is killed", "Timed out after 360.000s. VMI is still on the same node"),
    ("pull-kubevirt-e2e-k8s-1.32-sig-compute-migrations-1.6", "[sig-compute][Serial]virt-handler rate limiting should throttle the reconcile loop", "Timed out after 60.000s. Expected the virt-handler rate limiter to be engaged"),
    ("pull-kubevirt-e2e-k8s-1.32-sig-compute", "[sig-compute]VMIlifecycle [rfe_id:273]Creating a VirtualMachineInstance when virt-handler is not responsive [test_id:1634]the node controller should mark the node as unschedulable when the virt-handler heartbeat has timedout", "Timed out after 300.000s. node node01 still schedulable"),
    ("pull-kubevirt-e2e-k8s-1.32-sig-compute-migrations-1.5", "[sig-compute]CPU pinning [Serial]with dedicated CPUs should pin vCPUs to host CPUs", "Expected\n    <int>: 0\nto equal\n    <int>: 2"),
    ("pull-kubevirt-e2e-k8s-1.32-sig-compute-1.6", "[sig-compute]Soft reboot should soft reboot the VMI through the guest agent", "Timed out after 180.001s. VMI testvmi-x9k2c was not soft rebooted"),
    ("pull-kubevirt-e2e-k8s-1.34-sig-compute-arm64", "[sig-compute]CPU Hotplug should hotplug vCPUs into a running VM", "Timed out after 240.000s. Expected 4 vCPUs in the guest, found 2"),
    ("pull-kubevirt-e2e-k8s-1.34-sig-compute-serial", "[sig-compute]Persistent TPM should keep TPM state across restarts", "Timed out after 120.000s. persistent TPM data not found"),
    // SIG Storage.
    ("pull-kubevirt-e2e-k8s-1.33-sig-storage-1.6", "[sig-storage]Live Migration should cancel live migration of a VMI with a DataVolume", "Timed out after 180.000s. Expected <VirtualMachineInstanceMigrationPhase>: Scheduling to equal Failed"),
    ("pull-kubevirt-e2e-k8s-1.34-sig-storage", "[sig-storage]VirtualMachineSnapshot Tests with online snapshot should create an online snapshot with the guest agent", "Timed out after 180.000s. Timed out waiting for the agent of testvmi-abcde to connect"),
    ("pull-kubevirt-e2e-k8s-1.32-sig-storage-1.6", "[sig-storage]Hotplug Offline VM should migrate a VMI with hotplug volumes", "Timed out after 240.001s. hotplugged volume is not ready"),
    ("pull-kubevirt-e2e-k8s-1.34-sig-storage-1.7", "[sig-storage]fstrim should trim the filesystem of a VMI with a block PVC", "Timed out after 120.000s. fstrim did not free blocks"),
    ("pull-kubevirt-e2e-k8s-1.33-sig-storage", "[sig-storage]VirtualMachineSnapshot Tests should restore an online snapshot", "Timed out after 180.000s. Timed out waiting for the agent of testvmi-zz123 to connect"),
    // SIG Network.
    ("pull-kubevirt-e2e-k8s-1.34-sig-network", "[sig-network]interface state should report the interface state during migration", "Timed out after 240.000s. Timed out waiting for the agent of testvmi-q1w2e to connect"),
    ("pull-kubevirt-e2e-k8s-1.34-sig-network", "[sig-network][Serial]VirtualMachineInstance with masquerade binding mechanism should be able to reach the outside world [IPv4]", "Failed to reach google.com: ping: bad address 'google.com'"),
    ("pull-kubevirt-e2e-k8s-1.34-sig-network", "[sig-network]VirtualMachineInstance with masquerade binding mechanism [IPv6]should be able to reach the VMI", "Timed out after 300.000s. IPv6 address never became reachable"),
    // SIG Operator.
    ("pull-kubevirt-e2e-k8s-1.34-sig-operator", "[sig-operator]Operator [Serial]should update kubevirt from previous release to target tested release", "Timed out after 300.001s. One of the Kubevirt control-plane components is not ready: dial tcp 127.0.0.1:45925: connect: connection refused"),
    ("pull-kubevirt-e2e-k8s-1.33-sig-operator-1.6", "[sig-operator]Operator [Serial]should reconcile daemonsets and revert changes", "Timed out after 120.000s. daemonset virt-handler was not reverted to its original state"),
];

/// Jobs with only passing runs, so totals and the SIG with no failures are real.
const PASSING: &[&str] = &[
    "pull-kubevirt-e2e-k8s-1.34-sig-monitoring",
    "pull-kubevirt-e2e-k8s-1.34-sig-compute",
    "pull-kubevirt-e2e-k8s-1.34-sig-network",
];

fn run(job: &str, n: u64, status: RunStatus) -> Run {
    let started =
        Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap() + chrono::Duration::hours(n as i64);
    let build = BuildId::first_at(started).expect("a build id");
    Run {
        job: JobName::parse(job),
        origin: RunOrigin::Prow(RunPath::Presubmit {
            org_repo: "kubevirt_kubevirt".into(),
            pr: 16000 + n as u32,
            job: job.into(),
            build,
        }),
        started: Some(started),
        commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
        status,
    }
}

fn fixture_runs() -> Vec<Run> {
    let failing = FAILURES
        .iter()
        .enumerate()
        .map(|(n, (job, test, message))| {
            let results = TestResults::from_bytes(
                &JunitXml::new()
                    .failed(
                        test,
                        &format!("tests/x_test.go:10\n{message}\ntests/x_test.go:20"),
                    )
                    .passed("[sig-compute]passing")
                    .bytes(),
                JobName::parse(job).sig().as_ref(),
            );
            run(job, n as u64, RunStatus::Failed(results))
        });
    let passing = PASSING
        .iter()
        .chain(FAILURES.iter().map(|(job, _, _)| job))
        .enumerate()
        .map(|(n, job)| run(job, 100 + n as u64, RunStatus::Passed));
    failing.chain(passing).collect()
}

fn report() -> Report {
    let now = Utc.with_ymd_and_hms(2026, 2, 8, 0, 0, 0).unwrap();
    let runs = fixture_runs();
    let window = Window::new(now - chrono::Duration::days(7), now).expect("a week");
    let verdicts = Verdicts::compute(&runs, window, Earlier::NotLoaded, None);
    Report::build(
        &Arc::new(Dataset::new(&runs).with_verdicts(verdicts, None)),
        &JobTotals::new(),
        &Filter::default(),
        now,
    )
}

/// Per `## SIG` heading: the bold labels of "Common Failures" bullets and the failing jobs.
#[derive(Debug, Default)]
struct Section {
    kinds: BTreeSet<String>,
    jobs: BTreeSet<String>,
}

fn sections(markdown: &str) -> BTreeMap<String, Section> {
    let mut out = BTreeMap::<String, Section>::new();
    let mut current = None;
    let mut in_jobs = false;
    for line in markdown.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            current = Some(title.to_owned());
            out.entry(title.to_owned()).or_default();
            in_jobs = false;
        } else if line.starts_with("**Failing Jobs:**") {
            in_jobs = true;
        } else if line.starts_with("**") {
            in_jobs = false;
        } else if let (Some(title), Some(item)) = (&current, line.strip_prefix("- ")) {
            let section = out.get_mut(title).expect("section");
            if in_jobs {
                section
                    .jobs
                    .insert(item.split('`').nth(1).unwrap_or(item).to_owned());
            } else if let Some(label) = item
                .strip_prefix("**")
                .and_then(|rest| rest.split(":**").next())
            {
                section.kinds.insert(label.to_owned());
            }
        }
    }
    out
}

#[test]
fn markdown_matches_the_example_summary() {
    let ours = sections(&{
        let report = report();
        markdown::render(
            &report,
            &Scope::of(&report, &Filter::default(), "test runs"),
        )
    });
    let example = sections(EXAMPLE);
    let example_sigs: BTreeSet<_> = example.keys().cloned().collect();
    let our_sigs: BTreeSet<_> = ours.keys().filter(|s| *s != "SIG CI").cloned().collect();
    assert_eq!(our_sigs, example_sigs);
    for (sig, section) in &example {
        assert_eq!(ours[sig].jobs, section.jobs, "failing jobs of {sig}");
    }
    // The example's bullets are themes grouping related kinds; ours are the rules' themes.
    let expected_kinds: &[(&str, &[&str])] = &[
        (
            "SIG Compute",
            &[
                "Timeouts",
                "Live migration",
                "Infrastructure",
                "Test-specific issues",
            ],
        ),
        (
            "SIG Storage",
            &[
                "Live migration",
                "VM snapshots",
                "Hotplug volumes",
                "fstrim",
            ],
        ),
        // The example's "Interface State" bullet has no rule (no real failure of that kind was
        // found), so its failure, an interface-state test during a migration, is a migration one.
        (
            "SIG Network",
            &["Live migration", "Masquerade binding", "IPv6"],
        ),
        ("SIG Operator", &["KubeVirt updates", "Reconciliation"]),
        ("SIG Monitoring", &[]),
    ];
    for (sig, kinds) in expected_kinds {
        let kinds: BTreeSet<String> = kinds.iter().map(|k| k.to_string()).collect();
        assert_eq!(ours[*sig].kinds, kinds, "failure kinds of {sig}");
    }
}

#[test]
fn sig_without_failures_says_so_and_rates_have_denominators() {
    let report = report();
    let markdown = markdown::render(
        &report,
        &Scope::of(&report, &Filter::default(), "test runs"),
    );
    assert!(
        markdown.contains("The SIG Monitoring report shows no failing tests."),
        "{markdown}"
    );
    let compute = report
        .sigs
        .iter()
        .find(|s| s.sig.slug() == "compute")
        .expect("compute");
    // 10 failing runs of compute jobs, one passing run per failing one, one passing-only job.
    assert_eq!((compute.runs.failed, compute.runs.total), (10, 10 + 10 + 1));
    assert_eq!(compute.failures, 10);
}

#[test]
fn exports_name_their_source() {
    let report = report();
    let source =
        "Runs of jobs matching *-e2e-* in the last 7d, from bucket mirror at http://127.0.0.1:9";
    let scope = Scope::of(&report, &Filter::default(), source);
    let markdown = markdown::render(&report, &scope);
    let lines: Vec<&str> = markdown.lines().collect();
    assert!(lines[2].starts_with("Based on "), "{markdown}");
    assert_eq!(lines[4], format!("Source: `{source}`"));
    let json: serde_json::Value =
        serde_json::from_str(&triage_core::json::render(&report, &scope)).unwrap();
    assert_eq!(json["source"], source);
}

#[test]
fn json_of_runs_from_another_endpoint_links_no_prow_run() {
    let report = report();
    let mut scope = Scope::of(&report, &Filter::default(), "a mirror");
    let prow = triage_core::links::spyglass_root();
    let linked = triage_core::json::render(&report, &scope);
    assert!(
        linked.contains(&prow),
        "the public bucket's runs link to Prow"
    );
    scope.prow_links = false;
    let unlinked = triage_core::json::render(&report, &scope);
    // (The prefilled flake-issue links still quote Prow run URLs, percent-encoded, in their body.)
    assert!(!unlinked.contains(&prow), "{unlinked}");
    let folders = linked.matches(&prow).count();
    assert_eq!(
        unlinked.matches("\"pr-logs/pull/").count() + unlinked.matches("\"logs/").count(),
        folders
    );
}
