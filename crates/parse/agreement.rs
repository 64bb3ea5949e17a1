//! Classification measured on real failures: the failures of KubeVirt's Prow e2e lanes quoted in
//! kubevirt/kubevirt issues, labelled by hand (`tests/fixtures/real-failures`). Two corpora are
//! measured apart: the fitted one the rules were tuned to, and a held-out one they never were.
//!
//! A failure's *kind* is what a SIG card groups it under ([`Classification::kind`]): its area if
//! it has one, else its symptom. Kind agreement is the share of failures whose labelled kind
//! (the labelled area, else the labelled symptom) is the kind the rules give it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::classify::{classify, Classification};
use crate::rules::{Axis, FailureInput, Rule, RuleSet};
use crate::testdata::{
    held_out_batches, held_out_failures, junit_failures, named_failures, real_failures,
    NamedFailure, RealFailure,
};

/// The lowest kind agreement on the real failures that the rules may reach. These are the failures
/// the rules were tuned to, so this is a fitted figure.
const KIND_FLOOR: f64 = 0.90;

/// The lowest kind agreement on all held-out real failures together, which the rules were never
/// tuned to: the first measurement of both batches, 28 of 40 = 70.0 % (19/25 and 9/15, recorded in
/// `tests/fixtures/real-failures/SOURCES.md`), rounded down to 5 %.
const HELD_OUT_FLOOR: f64 = 0.70;

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

/// The classification of every failure of one labelled corpus.
struct Agreement<'a> {
    /// Which corpus, as the report names it.
    corpus: &'static str,
    outcomes: Vec<Outcome<'a>>,
}

impl<'a> Agreement<'a> {
    fn measure(corpus: &'static str, failures: &'a [RealFailure]) -> Agreement<'a> {
        let outcomes = failures
            .iter()
            .map(|failure| Outcome {
                failure,
                got: classify_real(failure),
            })
            .collect();
        Agreement { corpus, outcomes }
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
        writeln!(f, "{}: {total} failures", self.corpus)?;
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

/// The corpus names the reports use.
const FITTED: &str = "Real-failure corpus (fitted: the rules were tuned to it)";
const HELD_OUT: &str = "Held-out real failures (never used to tune the rules)";

/// Fails when a corpus's kind agreement is below `floor`, printing the measurement either way.
fn assert_kind_agreement(agreement: &Agreement, floor: f64) {
    println!("{agreement}");
    let share = agreement.share(Measure::Kind);
    assert!(
        share >= floor,
        "kind agreement {:.1} % is below the floor of {:.0} %\n{agreement}",
        100.0 * share,
        100.0 * floor
    );
}

#[test]
fn kind_agreement_on_real_failures_meets_the_floor() {
    let failures = real_failures();
    assert_kind_agreement(&Agreement::measure(FITTED, &failures), KIND_FLOOR);
}

/// Prints each held-out batch's measurement, then fails when all batches together fall below the
/// held-out floor.
#[test]
fn kind_agreement_on_held_out_failures_meets_its_floor() {
    for (file, failures) in held_out_batches() {
        println!("{}", Agreement::measure(file, &failures));
    }
    let failures = held_out_failures();
    assert_kind_agreement(&Agreement::measure(HELD_OUT, &failures), HELD_OUT_FLOOR);
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

/// Fails unless every failure has one source of its own in kubevirt/kubevirt, a message, and
/// labels that are rule ids of the right axis.
fn assert_well_labelled(failures: &[RealFailure]) {
    let sources: BTreeSet<_> = failures.iter().map(|f| f.source.as_str()).collect();
    assert_eq!(sources.len(), failures.len(), "one failure per source");
    let rules = RuleSet::builtin();
    let axis_of = |id: &str| rules.get(id).map(|rule| rule.axis);
    for failure in failures {
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
}

#[test]
fn real_failures_are_many_distinct_and_labelled_with_rule_ids() {
    let failures = real_failures();
    assert!(failures.len() >= 100, "{} real failures", failures.len());
    assert_well_labelled(&failures);
    let rules = RuleSet::builtin();
    for named in named_failures() {
        if let Some(area) = &named.area {
            let axis = rules.get(area).map(|rule| rule.axis);
            assert_eq!(axis, Some(Axis::Area), "{}", named.source);
        }
    }
}

#[test]
fn held_out_is_disjoint_from_the_fitted_corpus() {
    let held_out = held_out_failures();
    assert!(held_out.len() >= 40, "{} held-out failures", held_out.len());
    assert_well_labelled(&held_out);
    let messages: BTreeSet<&str> = held_out.iter().map(|f| f.message.trim()).collect();
    assert_eq!(
        messages.len(),
        held_out.len(),
        "a held-out message quoted twice"
    );
    let fitted = real_failures();
    let named = named_failures();
    let fitted_sources: BTreeSet<&str> = fitted
        .iter()
        .map(|f| f.source.as_str())
        .chain(named.iter().map(|n| n.source.as_str()))
        .collect();
    let fitted_messages: BTreeSet<&str> = fitted.iter().map(|f| f.message.trim()).collect();
    for failure in &held_out {
        assert!(
            !fitted_sources.contains(failure.source.as_str()),
            "{} is a fitted source",
            failure.source
        );
        assert!(
            !fitted_messages.contains(failure.message.trim()),
            "{} quotes a fitted message",
            failure.source
        );
    }
}

#[test]
fn every_rule_has_a_real_example() {
    let failures = real_failures();
    let shown = rules_with_real_examples(&Agreement::measure(FITTED, &failures), &named_failures());
    let without: Vec<&str> = RuleSet::builtin()
        .rules()
        .iter()
        .map(|rule| rule.id.as_str())
        .filter(|id| !shown.contains(*id))
        .collect();
    assert!(
        without.is_empty(),
        "rules without a real example (a real failure labelled and classified with it): {without:?}"
    );
}

/// Every real input the corpora give the rules: the fitted failures (no JUnit type), the real
/// CNV-QE JUnit failures, and the named failures (test name only).
fn real_inputs<'a>(
    failures: &'a [RealFailure],
    junit: &'a [crate::testdata::JunitFailure],
    named: &'a [NamedFailure],
) -> Vec<FailureInput<'a>> {
    failures
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
        .collect()
}

/// Fails, listing them, if `unused` finds parts of the builtin rules that no real input needs.
fn assert_every_part_needed(parts: &str, unused: fn(&Rule, &[FailureInput]) -> Vec<String>) {
    let (failures, junit, named) = (real_failures(), junit_failures(), named_failures());
    let inputs = real_inputs(&failures, &junit, &named);
    let unused: Vec<String> = RuleSet::builtin()
        .rules()
        .iter()
        .flat_map(|rule| unused(rule, &inputs))
        .collect();
    assert!(
        unused.is_empty(),
        "{parts} that no real failure needs:\n{}",
        unused.join("\n")
    );
}

#[test]
fn every_rule_alternative_matches_a_real_failure() {
    assert_every_part_needed("`any` entries (rule #entry)", unused_alternatives);
}

#[test]
fn every_pattern_branch_matches_a_real_failure() {
    assert_every_part_needed("pattern branches (rule field: branch)", unused_branches);
}

/// `rule-id field: branch` for each top-level `|` branch of the rule's patterns that no input the
/// rule matches shows in that field.
fn unused_branches(rule: &Rule, inputs: &[FailureInput]) -> Vec<String> {
    let matched: Vec<&FailureInput> = inputs.iter().filter(|input| rule.matches(input)).collect();
    let field_of = |input: &FailureInput<'_>, field: &str| match field {
        "test" => input.test_name.to_owned(),
        "message" => input.message.to_owned(),
        _ => input.failure_type.to_owned(),
    };
    rule.pattern_sources()
        .into_iter()
        .flat_map(|(field, source)| branches(source).into_iter().map(move |b| (field, b)))
        .filter(|(field, branch)| {
            let regex = regex_lite::Regex::new(branch).expect("a branch of a valid pattern");
            !matched
                .iter()
                .any(|input| regex.is_match(&field_of(input, field)))
        })
        .map(|(field, branch)| format!("{} {field}: {branch}", rule.id))
        .collect()
}

/// The top-level `|` branches of a pattern, each with the pattern's leading flag group (such as
/// `(?i)`); a pattern without `|` at the top is its own one branch.
fn branches(pattern: &str) -> Vec<String> {
    let (flags, body) = match pattern.strip_prefix("(?") {
        Some(rest) if rest.find(')').is_some_and(|end| !rest[..end].contains(':')) => {
            let end = rest.find(')').expect("checked") + 3;
            pattern.split_at(end)
        }
        _ => ("", pattern),
    };
    let (mut parts, mut depth, mut in_class, mut escaped, mut start) = (vec![], 0, false, false, 0);
    for (at, c) in body.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            '(' if !in_class => depth += 1,
            ')' if !in_class => depth -= 1,
            '|' if !in_class && depth == 0 => {
                parts.push(&body[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&body[start..]);
    parts.iter().map(|part| format!("{flags}{part}")).collect()
}

#[test]
fn branches_split_only_at_the_top_level() {
    assert_eq!(
        branches("(?i)a|b(c|d)|[|]"),
        ["(?i)a", "(?i)b(c|d)", "(?i)[|]"]
    );
    assert_eq!(branches(r"x\|y"), [r"x\|y"]);
    assert_eq!(branches("(?:a|b)"), ["(?:a|b)"]);
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
