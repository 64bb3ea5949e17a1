//! Throughput, in bytes of JUnit per second, of the pipeline the page runs on every file it
//! reads: `TestResults::from_bytes` (streaming parse, SIG attribution, classification and
//! clustering of every failure). Run with `cargo bench --bench throughput`.
//!
//! Two inputs: the real KubeVirt JUnit files in `tests/fixtures/junit`, and a synthetic
//! ~50 MB file of the same shape with 1% failures, so that the figure also covers failure-heavy
//! input (the real files have 11 failures in 2.3 MB). Figures are in decimal MB/s.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use triage_core::run::TestResults;
use triage_core::testdata::junit_paths;

/// Size the synthetic file grows to, in bytes.
const SYNTHETIC_BYTES: usize = 50_000_000;
/// One test case in this many fails.
const FAILURE_EVERY: u32 = 100;

fn real_files(c: &mut Criterion) {
    let files = read_real_files();
    let failures: usize = files.iter().map(|f| run(f).failures.len()).sum();
    assert_eq!(failures, 11, "the real files hold 11 failures");
    let bytes = files.iter().map(Vec::len).sum::<usize>();
    let mut group = c.benchmark_group("real-files");
    group.throughput(Throughput::BytesDecimal(bytes as u64));
    group.bench_function("from_bytes", |b| {
        b.iter(|| files.iter().map(|f| run(f).failures.len()).sum::<usize>())
    });
    group.finish();
}

fn synthetic(c: &mut Criterion) {
    let (xml, failed) = synthetic_junit(SYNTHETIC_BYTES);
    let results = run(xml.as_bytes());
    assert_eq!(results.parse_error, None);
    assert_eq!(results.failures.len(), failed);
    let mut group = c.benchmark_group("synthetic-50MB");
    group
        .throughput(Throughput::BytesDecimal(xml.len() as u64))
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("from_bytes", |b| {
        b.iter(|| run(xml.as_bytes()).failures.len())
    });
    group.finish();
}

/// The page's pipeline on one file, with no SIG known from the job name.
fn run(bytes: &[u8]) -> TestResults {
    TestResults::from_bytes(black_box(bytes), None)
}

fn read_real_files() -> Vec<Vec<u8>> {
    junit_paths()
        .iter()
        .map(|path| std::fs::read(path).expect("a JUnit file"))
        .collect()
}

/// A KubeVirt-shaped JUnit file of about `size` bytes, and how many failures it holds: mostly
/// skipped and passed specs, and every [`FAILURE_EVERY`]th a failure with a real message shape
/// and its `<system-out>` of event JSON, as the Ginkgo reporter writes them.
fn synthetic_junit(size: usize) -> (String, usize) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n  <testsuite name=\"KubeVirt Tests Suite\">\n",
    );
    let (mut cases, mut failed) = (0, 0);
    while xml.len() < size {
        cases += 1;
        let name = escape(&rng.test_name());
        // Writing to a String cannot fail.
        let _ = write!(
            xml,
            "      <testcase name=\"{name}\" classname=\"KubeVirt Tests Suite\" time=\"{}.{:03}\">",
            rng.below(400),
            rng.below(1000)
        );
        if cases % FAILURE_EVERY == 0 {
            failed += 1;
            let _ = write!(
                xml,
                "\n          <failure type=\"{}\">{}</failure>\n          <system-out>{}</system-out>\n      ",
                rng.pick(&["Failure", "Failure", "Failure", "Interrupted", "Panic"]),
                escape(&rng.failure_text()),
                escape(&rng.system_out()),
            );
        } else if rng.below(3) > 0 {
            xml.push_str("\n          <skipped></skipped>\n      ");
        }
        xml.push_str("</testcase>\n");
    }
    xml.push_str("  </testsuite>\n");
    (xml, failed)
}

/// Escapes text the way KubeVirt's reporter does, newlines included.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("&#xA;"),
            c => out.push(c),
        }
    }
    out
}

/// A small deterministic xorshift generator, so every run benchmarks the same file.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    /// A Kubernetes `generateName` suffix, like `pw4cx`.
    fn suffix(&mut self) -> String {
        const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
        (0..5)
            .map(|_| char::from(ALPHABET[self.below(ALPHABET.len() as u64) as usize]))
            .collect()
    }

    fn ip(&mut self) -> String {
        format!("10.244.{}.{}", self.below(4), 2 + self.below(250))
    }

    /// A Ginkgo spec name: SIG tag, containers with bracket tags, test id and leaf text.
    fn test_name(&mut self) -> String {
        let sig = self.pick(&[
            "[sig-compute]",
            "[sig-network] ",
            "[sig-storage]",
            "[sig-operator]",
            "[sig-compute-migrations]",
            "[Serial][sig-compute]",
            "[rfe_id:393][crit:high][vendor:cnv-qe@redhat.com][level:system][sig-compute] ",
        ]);
        let container = self.pick(&[
            "VMIlifecycle [rfe_id:273][crit:high][vendor:cnv-qe@redhat.com][level:component]Creating a VirtualMachineInstance ",
            "VM Live Migration Starting a VirtualMachineInstance  with a bridge network interface ",
            "Networking VirtualMachineInstance with masquerade binding mechanism ",
            "VirtualMachineSnapshot Tests With online vm snapshot ",
            "Operator [rfe_id:2291][crit:high][vendor:cnv-qe@redhat.com][level:component]should update kubevirt ",
            "CloudInit UserData A new VirtualMachineInstance with cloudInitNoCloud ",
            "[rfe_id:2926][crit:medium][vendor:cnv-qe@redhat.com][level:component]Port-forward ",
            "Hotplug [storage-req] VMI migration ",
        ]);
        let leaf = self.pick(&[
            "should start it",
            "should migrate a VMI under load to another node",
            "should be able to reach the outside world [IPv4]",
            "should succeed online snapshot with hot plug disk",
            "from previous release to target tested release by patching KubeVirt CR",
            "should have ssh-key under authorized keys",
            "should allow live migration with attached hotplug volumes persistent disk VMI",
        ]);
        format!(
            "{sig}{container}[test_id:{}]{leaf}",
            1000 + self.below(9000)
        )
    }

    /// `file:line\n<message>\nfile:line`, with a message shape from the KubeVirt CI notes and
    /// run-specific durations, names, addresses and ports.
    fn failure_text(&mut self) -> String {
        let secs = format!(
            "{}.{:03}",
            self.pick(&["120", "180", "240", "300", "360"]),
            self.below(3)
        );
        let vmi = format!("testvmi-{}", self.suffix());
        let port = 30_000 + self.below(30_000);
        let message = match self.below(9) {
            0 => format!("Timed out after {secs}s. Timed out waiting for VMI {vmi} to enter [Running] phase(s)"),
            1 => format!("Timed out after {secs}s. One of the Kubevirt control-plane components is not ready.\nExpected success, but got an error: Get \"https://127.0.0.1:{port}/apis\": dial tcp 127.0.0.1:{port}: connect: connection refused"),
            2 => format!("Timed out after {secs}s.\nExpected\n    <v1.VirtualMachineInstanceMigrationPhase>: Scheduling\nto equal\n    <v1.VirtualMachineInstanceMigrationPhase>: Failed"),
            3 => format!("Timed out after {secs}s.\nVMI is still on the same node"),
            4 => format!("expect: timer expired after {} seconds", self.pick(&["20", "60", "120"])),
            5 => "migration should not fail\nExpected\n    <v1.VirtualMachineInstanceMigrationPhase>: Failed\nnot to equal\n    <v1.VirtualMachineInstanceMigrationPhase>: Failed".to_owned(),
            6 => format!("Unexpected error:\n    <*errors.errorString | 0xc000{:06x}>: {{\n        s: \"EOF\",\n    }}\n    EOF\noccurred", self.below(1 << 24)),
            7 => format!("admission webhook \"virtualmachineinstances-create-validator.kubevirt.io\" denied the request: spec.domain.devices.interfaces[0].macAddress '02:00:00:{:02x}:{:02x}:{:02x}' is in use by VMI {vmi}", self.below(256), self.below(256), self.below(256)),
            _ => self.status_error_dump(&vmi),
        };
        format!(
            "tests/{}.go:{}\n{message}\nvendor/github.com/onsi/gomega/internal/async_assertion.go:{}",
            self.pick(&["vmi_lifecycle_test", "migration_test", "network/port_forward", "operator_test", "storage/snapshot"]),
            1 + self.below(3000),
            60 + self.below(120)
        )
    }

    /// Gomega's dump of a Kubernetes API error: a few KB of object text, the long messages
    /// that make normalisation work hardest.
    fn status_error_dump(&mut self, vmi: &str) -> String {
        let mut dump = format!(
            "Unexpected error:\n    <*errors.StatusError | 0xc000{:06x}>: {{\n        ErrStatus: {{\n            TypeMeta: {{Kind: \"\", APIVersion: \"\"}},\n            ListMeta: {{SelfLink: \"\", ResourceVersion: \"\", Continue: \"\", RemainingItemCount: nil}},\n            Status: \"Failure\",\n            Message: \"virtualmachineinstances.kubevirt.io \\\"{vmi}\\\" is forbidden\",\n            Reason: \"Forbidden\",\n            Details: {{\n                Causes: [\n",
            self.below(1 << 24)
        );
        for _ in 0..8 + self.below(40) {
            let _ = writeln!(
                dump,
                "                    {{Type: \"FieldValueInvalid\", Message: \"spec.domain.devices.disks[{}] uid {:08x}-{:04x}-4c6e-9f01-{:012x} at {}\", Field: \"spec.domain.devices\"}},",
                self.below(8),
                self.next() as u32,
                self.below(1 << 16),
                self.below(1 << 48),
                self.ip()
            );
        }
        dump.push_str("                ],\n            },\n            Code: 422,\n        },\n    }\n    virtualmachineinstances.kubevirt.io is forbidden\noccurred");
        dump
    }

    /// A failed spec's captured output: STEP lines and event JSON, 8 to 64 KB.
    fn system_out(&mut self) -> String {
        let vmi = format!("testvmi-{}", self.suffix());
        let mut out = String::from("On failure, artifacts will be collected in /tmp/artifacts/k8s-reporter/1_*\n\u{1b}[1mSTEP\u{1b}[0m: Starting the VirtualMachineInstance\n");
        let target = 8 * 1024 + self.below(56 * 1024) as usize;
        while out.len() < target {
            let _ = writeln!(
                out,
                "{{\"component\":\"tests\",\"kind\":\"VirtualMachineInstance\",\"level\":\"info\",\"msg\":\"Event(v1.ObjectReference{{Kind:\\\"VirtualMachineInstance\\\", Namespace:\\\"kubevirt-test-default1\\\", Name:\\\"{vmi}\\\", ResourceVersion:\\\"{}\\\"}}): type: 'Normal' reason: 'Created' VirtualMachineInstance defined.\",\"name\":\"{vmi}\",\"pos\":\"utils.go:365\",\"timestamp\":\"2026-08-22T14:45:{:02}.{:06}Z\"}}",
                200_000 + self.below(100_000),
                self.below(60),
                self.below(1_000_000)
            );
        }
        out
    }
}

criterion_group!(benches, real_files, synthetic);
criterion_main!(benches);
