//! Classification measured on real failures: the failures of KubeVirt's Prow e2e lanes quoted in
//! kubevirt/kubevirt issues, labelled by hand (`tests/fixtures/real-failures`).
//!
//! A failure's *kind* is what a SIG card groups it under ([`Classification::kind`]): its area if
//! it has one, else its symptom. Kind agreement is the share of failures whose labelled kind
//! (the labelled area, else the labelled symptom) is the kind the rules give it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::classify::{classify, Classification};
use crate::rules::{Axis, FailureInput, Rule, RuleSet};
use crate::testdata::{junit_failures, named_failures, real_failures, NamedFailure, RealFailure};

/// The lowest kind agreement on the real failures that the rules may reach.
const KIND_FLOOR: f64 = 0.90;

/// Rules that no real failure shows yet, kept because the example SIG summary reports these kinds
/// (an Interrupted JUnit type, `google.com` unreachable, interface state) but no issue quotes such
/// a failure. The list may only shrink: a rule that gains a real example must leave it, and a new
/// rule must come with one.
const AWAITING_REAL_EXAMPLES: &[&str] = &["interrupted", "external-network", "interface-state"];

/// `any` entries on the JUnit failure type, which no issue quotes and the real JUnit files (all
/// type "Failure") do not show. KubeVirt's JUnit reporter writes "Panic" for a panicked test.
const TYPE_ONLY_ALTERNATIVES: &[&str] = &["panic #1"];

/// The classification of one real failure next to its labels.
struct Outcome<'a> {
    failure: &'a RealFailure,
    got: Classification,
}

impl Outcome<'_> {
    fn expected_kind(&self) -> &str {
        self.failure
            .area
            .as_deref()
            .unwrap_or(&self.failure.symptom)
    }

    fn got_kind(&self) -> &str {
        &self.got.kind().id
    }

    fn got_area(&self) -> Option<&str> {
        self.got.area.map(|rule| rule.id.as_str())
    }

    fn kind_agrees(&self) -> bool {
        self.expected_kind() == self.got_kind()
    }

    fn symptom_agrees(&self) -> bool {
        self.failure.symptom == self.got.symptom.id
    }

    fn area_agrees(&self) -> bool {
        self.failure.area.as_deref() == self.got_area()
    }
}

fn classify_real(failure: &RealFailure) -> Classification {
    classify(&FailureInput {
        test_name: &failure.test,
        // An issue does not say the JUnit failure type; message and test-name rules decide.
        failure_type: "",
        message: &failure.message,
    })
}

/// What an agreement counts as agreeing.
#[derive(Clone, Copy)]
enum Measure {
    /// The kind a SIG card groups the failure under.
    Kind,
    Symptom,
    /// The area, where "none" agrees with "none".
    Area,
    /// Symptom and area both.
    Both,
}

impl Measure {
    const ALL: [Measure; 4] = [
        Measure::Kind,
        Measure::Symptom,
        Measure::Area,
        Measure::Both,
    ];

    fn name(self) -> &'static str {
        match self {
            Measure::Kind => "kind (what a card groups by)",
            Measure::Symptom => "symptom",
            Measure::Area => "area (none = none)",
            Measure::Both => "symptom and area",
        }
    }

    fn agrees(self, outcome: &Outcome) -> bool {
        match self {
            Measure::Kind => outcome.kind_agrees(),
            Measure::Symptom => outcome.symptom_agrees(),
            Measure::Area => outcome.area_agrees(),
            Measure::Both => outcome.symptom_agrees() && outcome.area_agrees(),
        }
    }
}

/// The classification of every real failure.
struct Agreement<'a> {
    outcomes: Vec<Outcome<'a>>,
}

impl<'a> Agreement<'a> {
    fn measure(failures: &'a [RealFailure]) -> Agreement<'a> {
        let outcomes = failures
            .iter()
            .map(|failure| Outcome {
                failure,
                got: classify_real(failure),
            })
            .collect();
        Agreement { outcomes }
    }

    fn share(&self, measure: Measure) -> f64 {
        self.count(measure) as f64 / self.outcomes.len() as f64
    }

    fn count(&self, measure: Measure) -> usize {
        self.outcomes
            .iter()
            .filter(|outcome| measure.agrees(outcome))
            .count()
    }

    /// Per kind: (labelled, classified, both).
    fn per_kind(&self) -> BTreeMap<&str, (usize, usize, usize)> {
        let mut kinds: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
        for outcome in &self.outcomes {
            kinds.entry(outcome.expected_kind()).or_default().0 += 1;
            let got = kinds.entry(outcome.got_kind()).or_default();
            got.1 += 1;
            got.2 += usize::from(outcome.kind_agrees());
        }
        kinds
    }
}

/// The measurement as a person reads it: agreement, precision and recall per kind, and every
/// failure whose kind the rules get wrong.
impl fmt::Display for Agreement<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let total = self.outcomes.len();
        writeln!(f, "Real-failure corpus: {total} failures")?;
        for measure in Measure::ALL {
            let count = self.count(measure);
            let percent = 100.0 * self.share(measure);
            writeln!(f, "  {}: {count}/{total} = {percent:.1} %", measure.name())?;
        }
        writeln!(
            f,
            "Per kind: labelled, classified, agreeing, precision, recall"
        )?;
        for (kind, (labelled, classified, both)) in self.per_kind() {
            let ratio = |part: usize, whole: usize| match whole {
                0 => "-".to_owned(),
                _ => format!("{:.0} %", 100.0 * part as f64 / whole as f64),
            };
            let (precision, recall) = (ratio(both, classified), ratio(both, labelled));
            writeln!(
                f,
                "  {kind:<26} {labelled:>3} {classified:>3} {both:>3} {precision:>6} {recall:>6}"
            )?;
        }
        writeln!(
            f,
            "Disagreements on kind (expected symptom/area -> got symptom/area):"
        )?;
        for outcome in self.outcomes.iter().filter(|o| !o.kind_agrees()) {
            let failure = outcome.failure;
            writeln!(
                f,
                "  {} {:?}\n    expected {}/{} -> got {}/{} (card rule {})",
                failure.source,
                failure.test,
                failure.symptom,
                failure.area.as_deref().unwrap_or("-"),
                outcome.got.symptom.id,
                outcome.got_area().unwrap_or("-"),
                outcome.got_kind(),
            )?;
        }
        Ok(())
    }
}

/// The area the rules give a named failure, from its test name alone.
fn area_by_name(named: &NamedFailure) -> Option<&'static str> {
    let got = classify(&FailureInput {
        test_name: &named.test,
        failure_type: "",
        message: "",
    });
    got.area.map(|rule| rule.id.as_str())
}

/// The named failures whose area the rules get wrong, as lines for a person.
fn named_disagreements(named: &[NamedFailure]) -> Vec<String> {
    named
        .iter()
        .filter(|n| area_by_name(n) != n.area.as_deref())
        .map(|n| {
            let expected = n.area.as_deref().unwrap_or("-");
            let got = area_by_name(n).unwrap_or("-");
            format!(
                "{} {:?}: expected {expected} -> got {got}",
                n.source, n.test
            )
        })
        .collect()
}

/// The rules each real failure shows: those the corpus labels and the rules give alike (on
/// either axis, and for named failures on the area), and those that classify the real CNV-QE
/// JUnit failures (whose kinds `classify::tests` checks one by one).
fn rules_with_real_examples(agreement: &Agreement, named: &[NamedFailure]) -> BTreeSet<String> {
    let mut shown = BTreeSet::new();
    for outcome in &agreement.outcomes {
        if outcome.symptom_agrees() {
            shown.insert(outcome.failure.symptom.clone());
        }
        if let (true, Some(area)) = (outcome.area_agrees(), &outcome.failure.area) {
            shown.insert(area.clone());
        }
    }
    for (test_name, failure_type, message) in junit_failures() {
        let got = classify(&FailureInput {
            test_name: &test_name,
            failure_type: &failure_type,
            message: &message,
        });
        shown.extend(
            got.area
                .into_iter()
                .chain([got.symptom])
                .map(|r| r.id.clone()),
        );
    }
    for n in named {
        if let (Some(area), true) = (&n.area, area_by_name(n) == n.area.as_deref()) {
            shown.insert(area.clone());
        }
    }
    shown
}

#[test]
fn kind_agreement_on_real_failures_meets_the_floor() {
    let failures = real_failures();
    let agreement = Agreement::measure(&failures);
    println!("{agreement}");
    let share = agreement.share(Measure::Kind);
    assert!(
        share >= KIND_FLOOR,
        "kind agreement {:.1} % is below the floor of {:.0} %\n{agreement}",
        100.0 * share,
        100.0 * KIND_FLOOR
    );
}

#[test]
fn area_by_name_on_named_failures_meets_the_floor() {
    let named = named_failures();
    let wrong = named_disagreements(&named);
    let share = 1.0 - wrong.len() as f64 / named.len() as f64;
    println!(
        "Named failures: area by test name {}/{} = {:.1} %",
        named.len() - wrong.len(),
        named.len(),
        100.0 * share
    );
    println!("{}", wrong.join("\n"));
    assert!(share >= KIND_FLOOR, "{wrong:#?}");
}

#[test]
fn real_failures_are_many_distinct_and_labelled_with_rule_ids() {
    let failures = real_failures();
    assert!(failures.len() >= 100, "{} real failures", failures.len());
    let sources: BTreeSet<_> = failures.iter().map(|f| f.source.as_str()).collect();
    assert_eq!(sources.len(), failures.len(), "one failure per issue");
    let rules = RuleSet::builtin();
    let axis_of = |id: &str| rules.get(id).map(|rule| rule.axis);
    for failure in &failures {
        assert!(
            failure
                .source
                .starts_with(&format!("{}/", crate::prow::GITHUB_URL)),
            "{}",
            failure.source
        );
        assert!(!failure.message.trim().is_empty(), "{}", failure.source);
        assert_eq!(
            axis_of(&failure.symptom),
            Some(Axis::Symptom),
            "{}",
            failure.source
        );
        if let Some(area) = &failure.area {
            assert_eq!(axis_of(area), Some(Axis::Area), "{}", failure.source);
        }
    }
    for named in named_failures() {
        if let Some(area) = &named.area {
            assert_eq!(axis_of(area), Some(Axis::Area), "{}", named.source);
        }
    }
}

#[test]
fn every_rule_has_a_real_example() {
    let failures = real_failures();
    let shown = rules_with_real_examples(&Agreement::measure(&failures), &named_failures());
    let without: Vec<&str> = RuleSet::builtin()
        .rules()
        .iter()
        .map(|rule| rule.id.as_str())
        .filter(|id| !shown.contains(*id))
        .collect();
    assert_eq!(
        without, AWAITING_REAL_EXAMPLES,
        "rules without a real example (a real failure labelled and classified with it)"
    );
}

#[test]
fn every_rule_alternative_matches_a_real_failure() {
    let failures = real_failures();
    let junit = junit_failures();
    let named = named_failures();
    let inputs: Vec<FailureInput> = failures
        .iter()
        .map(|f| FailureInput {
            test_name: &f.test,
            failure_type: "",
            message: &f.message,
        })
        .chain(
            junit
                .iter()
                .map(|(test_name, failure_type, message)| FailureInput {
                    test_name,
                    failure_type,
                    message,
                }),
        )
        .chain(named.iter().map(|n| FailureInput {
            test_name: &n.test,
            failure_type: "",
            message: "",
        }))
        .collect();
    let unused: Vec<String> = RuleSet::builtin()
        .rules()
        .iter()
        .flat_map(|rule| unused_alternatives(rule, &inputs))
        .collect();
    assert_eq!(
        unused, TYPE_ONLY_ALTERNATIVES,
        "`any` entries no real failure needs (rule #entry)"
    );
}

/// `rule-id #n` for each `any` entry of `rule` that matches no input the rule matches.
fn unused_alternatives(rule: &Rule, inputs: &[FailureInput]) -> Vec<String> {
    let mut used = vec![false; rule.alternatives()];
    for input in inputs.iter().filter(|input| rule.matches(input)) {
        for (used, matches) in used.iter_mut().zip(rule.matching_alternatives(input)) {
            *used |= matches;
        }
    }
    used.iter()
        .enumerate()
        .filter(|(_, used)| !**used)
        .map(|(index, _)| format!("{} #{}", rule.id, index + 1))
        .collect()
}
