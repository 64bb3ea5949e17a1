//! Picks, for one failure, the first matching rule on each axis of a [`RuleSet`].

use super::normalize::clip;
use super::rules::{Axis, FailureInput, Prepared, Rule, RuleSet};

/// Rules search at most this many chars at each end of a message: the headline and the final
/// error are there, and the object dumps in between would only slow every rule down.
const MESSAGE_KEEP: usize = 4_000;

/// Which rule fired on each axis. Copied into every failure of a report, so it holds references
/// into a rule set that lives for the whole program (the builtin one, or a leaked custom one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Classification {
    pub symptom: &'static Rule,
    pub area: Option<&'static Rule>,
}

impl Classification {
    /// The kind of failure a SIG card shows: the area if there is one, since it says where to
    /// look, else the symptom.
    pub fn kind(&self) -> &'static Rule {
        self.area.unwrap_or(self.symptom)
    }
}

impl RuleSet {
    /// The first symptom rule and the first area rule, in file order, that match `input`
    /// (with a long message cut to its head and tail).
    pub fn classify(&'static self, input: &FailureInput) -> Classification {
        let message = clip(input.message, MESSAGE_KEEP);
        let failure = Prepared::new(&FailureInput {
            message: &message,
            ..*input
        });
        Classification {
            symptom: self
                .first_match(Axis::Symptom, &failure)
                .unwrap_or_else(|| self.catch_all()),
            area: self.first_match(Axis::Area, &failure),
        }
    }

    fn first_match(&self, axis: Axis, failure: &Prepared) -> Option<&Rule> {
        self.rules()
            .iter()
            .find(|rule| rule.axis == axis && rule.matches_prepared(failure))
    }
}

/// Classifies with the rules in `failure-kinds.toml`.
pub fn classify(input: &FailureInput) -> Classification {
    RuleSet::builtin().classify(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testdata::junit_failures;

    fn assert_kind(
        test_name: &str,
        failure_type: &str,
        message: &str,
        symptom: &str,
        area: Option<&str>,
    ) {
        let input = FailureInput {
            test_name,
            failure_type,
            message,
        };
        let got = classify(&input);
        assert_eq!(
            (
                got.symptom.id.as_str(),
                got.area.map(|rule| rule.id.as_str())
            ),
            (symptom, area),
            "test {test_name:?}, message {message:?}"
        );
    }

    #[test]
    fn every_real_junit_failure_gets_its_expected_kind() {
        // A distinctive part of the test name -> expected symptom and area.
        let expected: &[(&str, &str, Option<&str>)] = &[
            (
                "with bandwidth limitations",
                "assertion",
                Some("live-migration"),
            ),
            (
                "with a dedicated migration network",
                "timeout",
                Some("migration-network"),
            ),
            (
                "non-declared port should not reach",
                "connection-refused",
                Some("port-forward"),
            ),
            (
                "declared port should reach",
                "connection-refused",
                Some("port-forward"),
            ),
            (
                "with no declared ports",
                "unexpected-error",
                Some("port-forward"),
            ),
            ("with GuestAgentPing", "timeout", Some("probes")),
            ("invalid command", "timeout", Some("probes")),
            (
                "readiness should succeed [test_id:TODO]with working Exec",
                "timeout",
                Some("probes"),
            ),
            ("guest-agent availability", "timeout", Some("probes")),
            (
                "custom MAC address and slirp",
                "admission-webhook-denial",
                None,
            ),
            (
                "should apply flavor to CPU",
                "admission-webhook-denial",
                Some("instancetype"),
            ),
        ];
        let failures = junit_failures();
        assert_eq!(
            failures.len(),
            expected.len(),
            "every sample failure needs an expectation"
        );
        for (test_name, failure_type, message) in &failures {
            let matching: Vec<_> = expected
                .iter()
                .filter(|(part, ..)| test_name.contains(part))
                .collect();
            let [(_, symptom, area)] = matching[..] else {
                panic!("{} expectations match {test_name:?}", matching.len());
            };
            assert_kind(test_name, failure_type, message, symptom, *area);
        }
    }

    #[test]
    fn real_messages_from_the_ci_notes_get_their_kind() {
        // The messages listed in KUBEVIRT-CI.md, each under a test name of the kind it came from.
        let cases: &[(&str, &str, &str, Option<&str>)] = &[
            (
                "[sig-compute]VMIlifecycle [rfe_id:273][crit:high][vendor:cnv-qe@redhat.com][level:component]Creating a VirtualMachineInstance [test_id:1621]should start it",
                "Timed out after 360.001s. Timed out waiting for VMI testvmi-pw4cx to enter [Running] phase(s)",
                "timeout",
                Some("vmi-start"),
            ),
            (
                "[sig-operator]Operator [rfe_id:2291][crit:high][vendor:cnv-qe@redhat.com][level:component]should update kubevirt [release-blocker][test_id:3145]from previous release to target tested release by patching KubeVirt CR",
                "Timed out after 300.001s. One of the Kubevirt control-plane components is not ready.\nExpected success, but got an error: Get \"https://127.0.0.1:45925/apis\": dial tcp 127.0.0.1:45925: connect: connection refused",
                "connection-refused",
                Some("operator-update"),
            ),
            (
                "[sig-compute]VMIlifecycle [rfe_id:273][crit:high]Creating a VirtualMachineInstance [test_id:1622]should log libvirtd logs",
                "Timed out after 300.001s. One of the Kubevirt control-plane components is not ready.\nExpected success, but got an error: dial tcp 127.0.0.1:45925: connect: connection refused",
                "connection-refused",
                Some("control-plane-readiness"),
            ),
            (
                "[sig-compute]VM Live Migration Starting a VirtualMachineInstance migration monitor [test_id:6980]Migration should fail if target pod fails during target preparation",
                "Timed out after 180.000s.\nExpected\n    <v1.VirtualMachineInstanceMigrationPhase>: Scheduling\nto equal\n    <v1.VirtualMachineInstanceMigrationPhase>: Failed",
                "timeout",
                Some("live-migration"),
            ),
            (
                "[sig-compute]Live Migration with a live-migrate eviction strategy set with node tainted during node drain [test_id:2221] should migrate a VMI under load to another node",
                "Timed out after 360.000s.\nVMI is still on the same node",
                "timeout",
                Some("live-migration"),
            ),
            (
                "[rfe_id:151][crit:high][vendor:cnv-qe@redhat.com][level:component][sig-compute]CloudInit UserData A new VirtualMachineInstance with cloudInitNoCloud with injected ssh-key [test_id:1616]should have ssh-key under authorized keys",
                "expect: timer expired after 120 seconds",
                "console-timeout",
                Some("console-login"),
            ),
        ];
        for (test_name, message, symptom, area) in cases {
            assert_kind(test_name, "Failure", message, symptom, *area);
        }
    }

    #[test]
    fn example_summary_failures_are_expressible() {
        // One plausible failure per bullet of examples/sig-failure-summary.md.
        let agent_missing = "Timed out after 720.001s.\nExpected\n    <[]v1.VirtualMachineInstanceCondition | len:1>: [...]\nexpected condition of type 'AgentConnected' was not found";
        let running_timeout = "Timed out after 360.001s. Timed out waiting for VMI testvmi-abc12 to enter [Running] phase(s)";
        let cases: &[(&str, &str, &str, Option<&str>)] = &[
            // SIG compute
            ("[sig-compute]VMIlifecycle [rfe_id:1287][crit:high][vendor:cnv-qe@redhat.com][level:component]Creating a VirtualMachineInstance definition creation should be accepted [test_id:1608]with a restartPolicy of Always", running_timeout, "timeout", Some("vmi-start")),
            ("[sig-compute]VM Live Migration Starting a VirtualMachineInstance migration monitor [test_id:6980]Migration should fail if target pod fails during target preparation", "Timed out after 180.000s.\nExpected\n    <v1.VirtualMachineInstanceMigrationPhase>: Scheduling\nto equal\n    <v1.VirtualMachineInstanceMigrationPhase>: Failed", "timeout", Some("live-migration")),
            ("[sig-compute]cluster profiler for pprof data aggregation when ClusterProfiler configuration [QUARANTINE]is enabled it should allow subresource access", "Unexpected error:\n    Internal error occurred: Get \"https://10.244.0.12:8443/pprof\": context deadline exceeded", "timeout", Some("cluster-profiler")),
            ("[sig-compute]changes to the kubernetes client on the virt handler rate limiter should lead to delayed VMI running states", running_timeout, "timeout", Some("virt-handler-rate-limiting")),
            ("[sig-compute]VMIlifecycle [rfe_id:273]Creating a VirtualMachineInstance when virt-handler is not responsive [test_id:1634]the node controller should mark the node as unschedulable when the virt-handler heartbeat has timedout", "Timed out after 120.001s.\nExpected\n    <bool>: false\nto be true", "timeout", Some("node-health")),
            ("[sig-compute]Configurations [rfe_id:897][crit:medium][vendor:cnv-qe@redhat.com][level:component]VirtualMachineInstance with CPU pinning with cpu pinning enabled [test_id:1684]should set the cpumanager label to false when it's not running", running_timeout, "timeout", Some("cpu-pinning")),
            ("[sig-compute]VMIlifecycle Softreboot a VirtualMachineInstance soft reboot vmi with agent connected should succeed", "Timed out after 240.000s.\nExpected\n    <bool>: false\nto be true", "timeout", Some("soft-reboot")),
            ("[sig-compute]CPU Hotplug A VM with cpu.maxSockets set higher than cpu.sockets [test_id:10811]should successfully plug vCPUs", "Expected\n    <int>: 2\nto equal\n    <int>: 4", "assertion", Some("cpu-hotplug")),
            ("[sig-compute]VM state with persistent TPM VM option enabled should persist VM state of TPM across migration and restart", "failed to run [tpm2_nvread 0x1500016] at VMI testvm-x2x9k, error: expect: timer expired after 60 seconds", "console-timeout", Some("persistent-tpm")),
            // SIG storage
            ("[rfe_id:393][crit:high][vendor:cnv-qe@redhat.com][level:system][sig-compute] Live Migration across namespaces with migration policy should be able to cancel a migration by deleting the migration resource delete target migration", "Timed out after 180.000s.\nExpected\n    <v1.VirtualMachineInstanceMigrationPhase>: Running\nto equal\n    <v1.VirtualMachineInstanceMigrationPhase>: Failed", "timeout", Some("migration-cancellation")),
            ("[sig-storage]VirtualMachineSnapshot Tests With online vm snapshot should succeed online snapshot with hot plug disk", agent_missing, "timeout", Some("snapshot")),
            ("[sig-storage] Hotplug [storage-req] VMI migration should allow live migration with attached hotplug volumes persistent disk VMI", "Timed out after 240.001s.", "timeout", Some("hotplug-volumes")),
            ("[sig-storage]DataVolume Integration [rfe_id:5070][crit:medium][vendor:cnv-qe@redhat.com][level:component]fstrim from the VM influences disk.img [test_id:5894]by default, fstrim will make the image smaller", "Timed out after 120.000s.\nExpected\n    <bool>: false\nto be true", "timeout", Some("fstrim")),
            // SIG network
            // "Interface state" has no rule (no real failure of that kind was found); this one migrates.
            ("[sig-network]interface state up/down Migration based should preserve the interface link state", agent_missing, "timeout", Some("live-migration")),
            ("[sig-network] [rfe_id:694][crit:medium][vendor:cnv-qe@redhat.com][level:component]Networking VirtualMachineInstance with masquerade binding mechanism should be able to reach the outside world [IPv4]", "Expected success, but got an error:\n    failed to ping VMI testvmi-qqvpc, error: failed to run [ping -c 5 -w 15 google.com] at VMI testvmi-qqvpc, error: expect: timer expired after 20 seconds", "console-timeout", Some("masquerade-binding")),
            ("[sig-network] [rfe_id:694][crit:medium][vendor:cnv-qe@redhat.com][level:component]Networking VirtualMachineInstance with masquerade binding mechanism IPv6 with a specific port number [IPv6]", "Timed out after 180.000s.", "timeout", Some("ipv6")),
            // SIG operator
            ("[sig-operator]Operator [rfe_id:2291][crit:high][vendor:cnv-qe@redhat.com][level:component]should update kubevirt [release-blocker][test_id:3145]from previous release to target tested release by patching KubeVirt CR", "Timed out after 600.000s.\nExpected\n    <bool>: false\nto be true", "timeout", Some("operator-update")),
            ("[sig-operator]Operator should reconcile components checking updating resource is reverted to original state for [test_id:6308] daemonsets", "Timed out after 120.001s.\nwaiting for deployment to revert to original state\nExpected\n    <bool>: false\nto be true", "timeout", Some("reconciliation")),
        ];
        for (test_name, message, symptom, area) in cases {
            assert_kind(test_name, "Failure", message, symptom, *area);
        }
    }

    #[test]
    fn panics_are_read_from_the_message_not_the_failure_type() {
        assert_kind(
            "[sig-compute]x",
            "Failure",
            "Test Panicked\nruntime error: invalid memory address",
            "panic",
            None,
        );
        // No real failure showed a JUnit type its message did not, so no rule reads the type.
        assert_kind("[sig-compute]x", "Panic", "boom", "other-failure", None);
        assert_kind(
            "[sig-compute]x",
            "Interrupted",
            "Timed out after 1s.",
            "timeout",
            None,
        );
    }

    #[test]
    fn anything_gets_a_symptom() {
        for message in ["", "something new", "\u{0}\u{fffd}", &"x".repeat(64 * 1024)] {
            let got = classify(&FailureInput {
                test_name: "",
                failure_type: "",
                message,
            });
            assert_eq!(got.symptom.id, "other-failure");
            assert!(got.area.is_none());
            assert_eq!(got.kind().id, "other-failure");
        }
    }

    #[test]
    fn long_messages_are_searched_at_head_and_tail_only() {
        let dump = "    Field: \"value\",\n".repeat(4_000);
        let kind_of = |message: &str| {
            classify(&FailureInput {
                test_name: "t",
                failure_type: "Failure",
                message,
            })
            .symptom
            .id
            .as_str()
        };
        assert_eq!(
            kind_of(&format!("Unexpected error:\n{dump}    EOF\noccurred")),
            "connection-refused"
        );
        assert_eq!(kind_of(&format!("Timed out after 1s.\n{dump}")), "timeout");
        assert_eq!(
            kind_of(&format!("Failed:\n{dump}EOF\n{dump}")),
            "other-failure"
        );
    }

    #[test]
    fn kind_prefers_the_area() {
        let got = classify(&FailureInput {
            test_name: "[sig-storage] should cancel live migration",
            failure_type: "Failure",
            message: "Timed out after 180.000s.",
        });
        assert_eq!(got.kind().id, "migration-cancellation");
        assert_eq!(got.symptom.id, "timeout");
    }

    #[test]
    fn custom_rule_sets_classify_too() {
        let rules: &'static RuleSet = Box::leak(Box::new(
            RuleSet::parse(
                r#"
                [[rule]]
                id = "eof"
                label = "EOF"
                axis = "symptom"
                message = 'EOF'
                hint = "Cut."

                [[rule]]
                id = "rest"
                label = "Rest"
                axis = "symptom"
                hint = "Anything else."
                "#,
            )
            .expect("valid"),
        ));
        let eof = rules.classify(&FailureInput {
            test_name: "t",
            failure_type: "Failure",
            message: "EOF",
        });
        let other = rules.classify(&FailureInput {
            test_name: "t",
            failure_type: "Failure",
            message: "boom",
        });
        assert_eq!((eof.symptom.id.as_str(), eof.area.is_none()), ("eof", true));
        assert_eq!(other.kind().id, "rest");
        assert_ne!(eof, other);
        assert_eq!(
            eof,
            rules.classify(&FailureInput {
                test_name: "u",
                failure_type: "",
                message: "EOF!"
            })
        );
    }
}
