//! Failure classification rules, kept as data in `failure-kinds.toml` so that people who do not
//! write Rust can read and extend them. The file's header documents the format; this module
//! parses and checks it, and matches single rules. Picking the rule that wins is
//! [`classify`](crate::classify).

use std::collections::HashSet;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::LazyLock;

use regex_lite::Regex;
use serde::Deserialize;

use super::words::is_slug;

/// The rules that ship with the app: `failure-kinds.toml` turned into compact JSON by `build.rs`,
/// so the page carries neither the file's comments nor a TOML parser.
const BUILTIN_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/failure-kinds.json"));

/// The two independent questions a rule answers about a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Axis {
    /// How it failed (timeout, panic, ...). Every failure has one.
    Symptom,
    /// Which part of KubeVirt it hit (live migration, snapshots, ...). Optional.
    Area,
}

/// The fields of one failed test that rules look at.
#[derive(Clone, Copy, Debug)]
pub struct FailureInput<'a> {
    pub test_name: &'a str,
    /// The JUnit `type` attribute: `Failure`, `Interrupted` or `Panic`.
    pub failure_type: &'a str,
    pub message: &'a str,
}

/// One kind of failure: its names, its explanation and the patterns that recognise it.
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub label: String,
    pub axis: Axis,
    pub hint: String,
    /// The Common Failures bullet this kind is grouped under with related kinds ("Timeouts").
    pub theme: String,
    /// Patterns written directly in the rule: all must match.
    all: Patterns,
    /// The rule's `any` entries: one must match, unless there are none.
    any: Vec<Patterns>,
}

impl Rule {
    /// Whether all of the rule's direct patterns and one of its `any` entries (if it has some)
    /// match the failure.
    pub fn matches(&self, failure: &FailureInput) -> bool {
        self.matches_prepared(&Prepared::new(failure))
    }

    /// [`Rule::matches`] on a failure prepared once for many rules.
    pub(crate) fn matches_prepared(&self, failure: &Prepared) -> bool {
        self.all.matches(failure)
            && (self.any.is_empty() || self.any.iter().any(|entry| entry.matches(failure)))
    }

    /// How many `any` entries the rule has.
    #[cfg(test)]
    pub(crate) fn alternatives(&self) -> usize {
        self.any.len()
    }

    /// Whether each of the rule's `any` entries, in file order, matches `failure`.
    #[cfg(test)]
    pub(crate) fn matching_alternatives(&self, failure: &FailureInput) -> Vec<bool> {
        let failure = Prepared::new(failure);
        self.any
            .iter()
            .map(|entry| entry.matches(&failure))
            .collect()
    }

    /// Each pattern of the rule, direct ones first, with the field it reads ("test", "message" or
    /// "type").
    #[cfg(test)]
    pub(crate) fn pattern_sources(&self) -> Vec<(&'static str, &str)> {
        std::iter::once(&self.all)
            .chain(&self.any)
            .flat_map(|patterns| {
                [
                    ("test", &patterns.test),
                    ("message", &patterns.message),
                    ("type", &patterns.failure_type),
                ]
            })
            .filter_map(|(field, pattern)| Some((field, pattern.as_ref()?.regex.as_str())))
            .collect()
    }

    fn is_catch_all(&self) -> bool {
        self.all.is_empty() && self.any.is_empty()
    }
}

/// A rule is known by its id, which is unique within its rule set.
impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for Rule {}

impl Hash for Rule {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

/// Patterns on the fields of a failure; an absent one does not constrain its field.
#[derive(Debug)]
struct Patterns {
    test: Option<Pattern>,
    message: Option<Pattern>,
    failure_type: Option<Pattern>,
}

impl Patterns {
    fn matches(&self, failure: &Prepared) -> bool {
        [&self.test, &self.message, &self.failure_type]
            .into_iter()
            .zip(&failure.fields)
            .all(|(pattern, (text, lower))| {
                pattern
                    .as_ref()
                    .is_none_or(|pattern| pattern.is_match(text, lower))
            })
    }

    fn is_empty(&self) -> bool {
        self.test.is_none() && self.message.is_none() && self.failure_type.is_none()
    }
}

/// The fields of a failure (test name, message, type) next to their ASCII-lowercased copies, made
/// once for the case-insensitive literal tests of all rules.
pub(crate) struct Prepared<'a> {
    fields: [(&'a str, String); 3],
}

impl<'a> Prepared<'a> {
    pub(crate) fn new(failure: &FailureInput<'a>) -> Prepared<'a> {
        let field = |text: &'a str| (text, text.to_ascii_lowercase());
        Prepared {
            fields: [
                field(failure.test_name),
                field(failure.message),
                field(failure.failure_type),
            ],
        }
    }
}

/// A rule's regex behind a cheap test for the words every match contains. regex-lite spends tens
/// of nanoseconds a byte on any search, and most rules are alternatives of words that most
/// failures lack: looking for the words first makes classifying many times faster.
#[derive(Debug)]
struct Pattern {
    regex: Regex,
    literals: Option<Literals>,
}

impl Pattern {
    fn new(pattern: &str) -> Result<Pattern, regex_lite::Error> {
        Ok(Pattern {
            regex: Regex::new(pattern)?,
            literals: Literals::required_by(pattern),
        })
    }

    /// Whether the regex matches `text`, whose ASCII-lowercased copy is `lower`.
    fn is_match(&self, text: &str, lower: &str) -> bool {
        self.literals
            .as_ref()
            .is_none_or(|literals| literals.any_in(text, lower))
            && self.regex.is_match(text)
    }
}

/// One word from each top-level alternative of a pattern: a text containing none of them cannot
/// match it.
#[derive(Debug, PartialEq)]
struct Literals {
    /// Lowercase when `ignore_case`.
    words: Vec<String>,
    /// The pattern starts with `(?i)`, which regex-lite applies to ASCII letters only.
    ignore_case: bool,
}

/// Escaped characters that stand for themselves.
const LITERAL_ESCAPES: &str = r".+*?()|[]{}^$#&-~/\";
/// Escaped letters that match no fixed text but take no argument (`\b` unless `\b{...}`).
const ARGUMENTLESS_ESCAPES: &str = "AbBdDsSwWz";

impl Literals {
    /// The longest run of plain characters in each top-level alternative of `pattern`. `None`
    /// when some alternative has no such run, or the pattern uses syntax this reading does not
    /// follow (flags other than a leading `(?i)`, escapes with arguments, nested classes): the
    /// regex then runs on every text, as without this test.
    fn required_by(pattern: &str) -> Option<Literals> {
        let (ignore_case, body) = match pattern.strip_prefix("(?i)") {
            Some(body) => (true, body),
            None => (false, pattern),
        };
        if body.contains("(?") {
            return None;
        }
        let mut words = Vec::new();
        let mut alternative = Alternative::default();
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            match c {
                '|' => words.push(alternative.finish()?),
                '\\' => match chars.next()? {
                    e if LITERAL_ESCAPES.contains(e) => alternative.push(e),
                    e if e.is_ascii_punctuation() => alternative.end_run(),
                    e if ARGUMENTLESS_ESCAPES.contains(e) && !chars.as_str().starts_with('{') => {
                        alternative.end_run()
                    }
                    _ => return None,
                },
                '(' => {
                    alternative.end_run();
                    skip_group(&mut chars)?;
                }
                '[' => {
                    alternative.end_run();
                    skip_class(&mut chars)?;
                }
                // The character before is optional, or (`{n,m}`) maybe so.
                '?' | '*' => alternative.drop_last(),
                '{' => {
                    alternative.drop_last();
                    chars.find(|&c| c == '}')?;
                }
                // The character before repeats, or the next one is not fixed.
                '+' | '.' | '^' | '$' | ')' | ']' | '}' => alternative.end_run(),
                c => alternative.push(c),
            }
        }
        words.push(alternative.finish()?);
        if ignore_case {
            words
                .iter_mut()
                .for_each(|word| word.make_ascii_lowercase());
        }
        Some(Literals { words, ignore_case })
    }

    fn any_in(&self, text: &str, lower: &str) -> bool {
        let haystack = if self.ignore_case { lower } else { text };
        self.words
            .iter()
            .any(|word| haystack.contains(word.as_str()))
    }
}

/// The plain characters of one alternative read so far: the current run and the longest one.
#[derive(Default)]
struct Alternative {
    longest: String,
    run: String,
}

impl Alternative {
    fn push(&mut self, c: char) {
        self.run.push(c);
    }

    fn end_run(&mut self) {
        if self.run.len() > self.longest.len() {
            self.longest = std::mem::take(&mut self.run);
        }
        self.run.clear();
    }

    /// Ends the run without its last character, which a quantifier made optional.
    fn drop_last(&mut self) {
        self.run.pop();
        self.end_run();
    }

    fn finish(&mut self) -> Option<String> {
        self.end_run();
        let word = std::mem::take(&mut self.longest);
        (!word.is_empty()).then_some(word)
    }
}

/// Skips past the `)` that closes a group whose `(` was just read.
fn skip_group(chars: &mut std::str::Chars) -> Option<()> {
    let mut depth = 1;
    while depth > 0 {
        match chars.next()? {
            '(' => depth += 1,
            ')' => depth -= 1,
            '\\' => {
                chars.next()?;
            }
            '[' => skip_class(chars)?,
            _ => {}
        }
    }
    Some(())
}

/// Skips past the `]` that closes a class whose `[` was just read; a `]` right after `[` or
/// `[^` is a member. Gives up on nested classes.
fn skip_class(chars: &mut std::str::Chars) -> Option<()> {
    for prefix in ['^', ']'] {
        if chars.as_str().starts_with(prefix) {
            chars.next();
        }
    }
    loop {
        match chars.next()? {
            ']' => return Some(()),
            '\\' => {
                chars.next()?;
            }
            '[' => return None,
            _ => {}
        }
    }
}

/// A checked, ordered list of rules: ids are unique, and the last symptom rule (and only it)
/// matches every failure, so every failure gets a symptom.
#[derive(Debug)]
pub struct RuleSet {
    rules: Vec<Rule>,
    /// Index in `rules` of the last symptom rule, which has no patterns.
    catch_all: usize,
}

impl RuleSet {
    /// Reads and checks a rules file in the format of `failure-kinds.toml`.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn parse(toml: &str) -> Result<RuleSet, RuleError> {
        Self::check(toml::from_str(toml).map_err(|e| RuleError::Syntax(e.to_string()))?)
    }

    /// The built-in rules, from their JSON form.
    fn parse_builtin() -> Result<RuleSet, RuleError> {
        Self::check(
            serde_json::from_str(BUILTIN_JSON).map_err(|e| RuleError::Syntax(e.to_string()))?,
        )
    }

    fn check(file: RawFile) -> Result<RuleSet, RuleError> {
        let mut ids = HashSet::new();
        let mut rules = Vec::with_capacity(file.rule.len());
        for raw in file.rule {
            let rule = raw.compile()?;
            if !ids.insert(rule.id.clone()) {
                return Err(RuleError::DuplicateId { rule: rule.id });
            }
            rules.push(rule);
        }
        let catch_all = find_catch_all(&rules)?;
        Ok(RuleSet { rules, catch_all })
    }

    /// The rules in `failure-kinds.toml`, parsed on first use.
    pub fn builtin() -> &'static RuleSet {
        static BUILTIN: LazyLock<RuleSet> = LazyLock::new(|| {
            RuleSet::parse_builtin().expect("failure-kinds.toml is checked by the tests")
        });
        &BUILTIN
    }

    /// All rules, in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rule with id `id`, for tests; the page reaches rules through classifications.
    #[cfg(test)]
    pub(crate) fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|rule| rule.id == id)
    }

    /// The symptom of failures that no other symptom rule recognises.
    pub fn catch_all(&self) -> &Rule {
        &self.rules[self.catch_all]
    }
}

/// The index of the catch-all: the only patternless symptom rule, and the last symptom rule.
fn find_catch_all(rules: &[Rule]) -> Result<usize, RuleError> {
    let is_symptom = |rule: &Rule| rule.axis == Axis::Symptom;
    let first = rules
        .iter()
        .position(|rule| is_symptom(rule) && rule.is_catch_all())
        .ok_or(RuleError::MissingCatchAll)?;
    if rules.iter().rposition(is_symptom) == Some(first) {
        Ok(first)
    } else {
        Err(RuleError::CatchAllNotLast {
            rule: rules[first].id.clone(),
        })
    }
}

/// Why a rules file was rejected. Each variant names the rule at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleError {
    /// Not TOML, or a rule lacks a required key or has an unknown one.
    Syntax(String),
    /// The id is not kebab-case.
    BadId {
        rule: String,
    },
    DuplicateId {
        rule: String,
    },
    /// A required text (`label`, `hint`) is empty.
    Empty {
        rule: String,
        field: &'static str,
    },
    UnknownAxis {
        rule: String,
        axis: String,
    },
    /// `field` is `message`, `test` or `type`, or `any[i].` followed by one of them.
    BadRegex {
        rule: String,
        field: String,
        error: String,
    },
    /// An area rule without patterns: it would give every failure that area.
    NoPatterns {
        rule: String,
    },
    /// An `any` entry without patterns: it would make the `any` list match everything.
    EmptyAnyEntry {
        rule: String,
        index: usize,
    },
    /// A patternless symptom rule above other symptom rules, which it would hide.
    CatchAllNotLast {
        rule: String,
    },
    /// No symptom rule matches everything, so some failure could go without a symptom.
    MissingCatchAll,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleError::Syntax(error) => write!(f, "rules file: {error}"),
            RuleError::BadId { rule } => write!(f, "rule `{rule}`: id must be kebab-case"),
            RuleError::DuplicateId { rule } => write!(f, "rule `{rule}`: id used twice"),
            RuleError::Empty { rule, field } => write!(f, "rule `{rule}`: `{field}` is empty"),
            RuleError::UnknownAxis { rule, axis } => write!(
                f,
                "rule `{rule}`: axis `{axis}` is neither \"symptom\" nor \"area\""
            ),
            RuleError::BadRegex { rule, field, error } => {
                write!(f, "rule `{rule}`: `{field}` is not a valid regex: {error}")
            }
            RuleError::NoPatterns { rule } => {
                write!(f, "rule `{rule}`: an area rule needs at least one pattern")
            }
            RuleError::EmptyAnyEntry { rule, index } => {
                write!(f, "rule `{rule}`: `any[{index}]` has no pattern")
            }
            RuleError::CatchAllNotLast { rule } => write!(
                f,
                "rule `{rule}`: a symptom rule without patterns must be the last symptom rule"
            ),
            RuleError::MissingCatchAll => {
                write!(
                    f,
                    "the last symptom rule must have no patterns, to catch every failure"
                )
            }
        }
    }
}

impl std::error::Error for RuleError {}

/// The file as written, before checking.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    rule: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    label: String,
    axis: String,
    hint: String,
    #[serde(default)]
    theme: Option<String>,
    #[serde(flatten)]
    patterns: RawPatterns,
    #[serde(default)]
    any: Vec<RawPatterns>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPatterns {
    test: Option<String>,
    message: Option<String>,
    #[serde(rename = "type")]
    failure_type: Option<String>,
}

impl RawRule {
    fn compile(self) -> Result<Rule, RuleError> {
        let rule = self.id;
        if !is_slug(&rule) {
            return Err(RuleError::BadId { rule });
        }
        let theme = self.theme.unwrap_or_else(|| self.label.clone());
        for (field, text) in [
            ("label", &self.label),
            ("hint", &self.hint),
            ("theme", &theme),
        ] {
            if text.trim().is_empty() {
                return Err(RuleError::Empty { rule, field });
            }
        }
        let axis = match self.axis.as_str() {
            "symptom" => Axis::Symptom,
            "area" => Axis::Area,
            _ => {
                return Err(RuleError::UnknownAxis {
                    rule,
                    axis: self.axis,
                })
            }
        };
        let all = self.patterns.compile(&rule, "")?;
        let any = self
            .any
            .into_iter()
            .enumerate()
            .map(|(index, entry)| {
                let patterns = entry.compile(&rule, &format!("any[{index}]."))?;
                if patterns.is_empty() {
                    return Err(RuleError::EmptyAnyEntry {
                        rule: rule.clone(),
                        index,
                    });
                }
                Ok(patterns)
            })
            .collect::<Result<_, _>>()?;
        let rule = Rule {
            id: rule,
            label: self.label,
            axis,
            hint: self.hint,
            theme,
            all,
            any,
        };
        if rule.axis == Axis::Area && rule.is_catch_all() {
            return Err(RuleError::NoPatterns { rule: rule.id });
        }
        Ok(rule)
    }
}

impl RawPatterns {
    /// Compiles each pattern; errors name the field as `prefix` + its key.
    fn compile(self, rule: &str, prefix: &str) -> Result<Patterns, RuleError> {
        let regex = |key: &str, pattern: Option<String>| {
            pattern
                .map(|pattern| Pattern::new(&pattern))
                .transpose()
                .map_err(|error| RuleError::BadRegex {
                    rule: rule.to_owned(),
                    field: format!("{prefix}{key}"),
                    error: error.to_string(),
                })
        };
        Ok(Patterns {
            test: regex("test", self.test)?,
            message: regex("message", self.message)?,
            failure_type: regex("type", self.failure_type)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure<'a>(
        test_name: &'a str,
        failure_type: &'a str,
        message: &'a str,
    ) -> FailureInput<'a> {
        FailureInput {
            test_name,
            failure_type,
            message,
        }
    }

    /// A valid file: one area, one symptom, and the catch-all.
    const MINIMAL: &str = r#"
        [[rule]]
        id = "live-migration"
        label = "Live migration"
        axis = "area"
        test = '(?i)migrat'
        hint = "Migrations fail."

        [[rule]]
        id = "timeout"
        label = "Timeout"
        axis = "symptom"
        message = '(?i)timed out'
        hint = "Waits give up."

        [[rule]]
        id = "other"
        label = "Other"
        axis = "symptom"
        hint = "Anything else."
    "#;

    fn parse_err(toml: &str) -> RuleError {
        RuleSet::parse(toml).expect_err("the file should be rejected")
    }

    #[test]
    fn builtin_json_is_the_toml_file() {
        let from_toml = RuleSet::parse(include_str!("failure-kinds.toml")).unwrap();
        let describe = |set: &RuleSet| -> Vec<(String, String, String, String, Axis)> {
            set.rules()
                .iter()
                .map(|r| {
                    let texts = (r.id.clone(), r.label.clone(), r.hint.clone());
                    (texts.0, texts.1, texts.2, r.theme.clone(), r.axis)
                })
                .collect()
        };
        assert_eq!(describe(RuleSet::builtin()), describe(&from_toml));
    }

    #[test]
    fn builtin_rules_parse() {
        let rules = RuleSet::builtin();
        assert!(rules.rules().len() >= 35);
        assert_eq!(rules.catch_all().id, "other-failure");
        assert_eq!(
            rules.get("live-migration").map(|r| r.axis),
            Some(Axis::Area)
        );
        assert_eq!(
            rules.get("timeout").map(|r| r.label.as_str()),
            Some("Timeout")
        );
        assert!(rules.get("no-such-rule").is_none());
    }

    /// Every built-in rule names its theme, and themes group related kinds as the example
    /// summary does (Timeouts, Live migration, Infrastructure, Test-specific issues).
    #[test]
    fn builtin_rules_have_themes_that_group_kinds() {
        let file: toml::Table = toml::from_str(include_str!("failure-kinds.toml")).unwrap();
        let rules = file["rule"].as_array().unwrap();
        let unthemed: Vec<&toml::Value> =
            rules.iter().filter(|r| r.get("theme").is_none()).collect();
        assert!(unthemed.is_empty(), "rules without a theme: {unthemed:?}");
        let theme = |id: &str| RuleSet::builtin().get(id).map(|r| r.theme.as_str());
        assert_eq!(theme("timeout"), Some("Timeouts"));
        assert_eq!(theme("vmi-start"), Some("Timeouts"));
        assert_eq!(theme("migration-cancellation"), Some("Live migration"));
        assert_eq!(theme("live-migration"), Some("Live migration"));
        assert_eq!(theme("cluster-profiler"), Some("Infrastructure"));
        assert_eq!(theme("node-health"), Some("Infrastructure"));
        assert_eq!(theme("cpu-pinning"), Some("Test-specific issues"));
        let themes: std::collections::HashSet<&str> = RuleSet::builtin()
            .rules()
            .iter()
            .map(|r| r.theme.as_str())
            .collect();
        assert!(themes.len() * 2 < rules.len(), "{themes:?}");
        let parsed =
            RuleSet::parse("[[rule]]\nid = \"x\"\nlabel = \"X\"\naxis = \"symptom\"\nhint = \"h\"")
                .unwrap();
        assert_eq!(parsed.rules()[0].theme, "X", "without a theme, the label");
    }

    #[test]
    fn builtin_rules_cover_the_required_kinds() {
        let symptoms = [
            "timeout",
            "assertion",
            "unexpected-error",
            "panic",
            "admission-webhook-denial",
            "connection-refused",
            "console-timeout",
            "other-failure",
        ];
        let areas = [
            "live-migration",
            "migration-cancellation",
            "vmi-start",
            "guest-agent",
            "snapshot",
            "hotplug-volumes",
            "fstrim",
            "masquerade-binding",
            "ipv6",
            "operator-update",
            "reconciliation",
            "control-plane-readiness",
            "cluster-profiler",
            "virt-handler-rate-limiting",
            "node-health",
            "cpu-pinning",
            "soft-reboot",
            "cpu-hotplug",
            "persistent-tpm",
            "port-forward",
            "probes",
            "migration-network",
            "instancetype",
            "console-login",
        ];
        let rules = RuleSet::builtin();
        for (ids, axis) in [(&symptoms[..], Axis::Symptom), (&areas[..], Axis::Area)] {
            for id in ids {
                let rule = rules.get(id).unwrap_or_else(|| panic!("missing rule {id}"));
                assert_eq!(rule.axis, axis, "{id}");
                assert!(!rule.label.is_empty() && rule.hint.ends_with('.'), "{id}");
            }
        }
    }

    #[test]
    fn direct_patterns_must_all_match() {
        let rules = RuleSet::parse(
            r#"
            [[rule]]
            id = "migration-timeout"
            label = "Migration timeout"
            axis = "symptom"
            test = 'migrat'
            message = 'Timed out'
            hint = "Both."

            [[rule]]
            id = "other"
            label = "Other"
            axis = "symptom"
            hint = "Anything else."
            "#,
        )
        .expect("valid");
        let rule = &rules.rules()[0];
        assert!(rule.matches(&failure("should migrate", "Failure", "Timed out after 1s")));
        assert!(!rule.matches(&failure("should migrate", "Failure", "EOF")));
        assert!(!rule.matches(&failure("should start", "Failure", "Timed out after 1s")));
    }

    #[test]
    fn any_entries_are_alternatives_next_to_direct_patterns() {
        let rules = RuleSet::parse(
            r#"
            [[rule]]
            id = "panic"
            label = "Panic"
            axis = "symptom"
            message = '.'
            any = [ { type = '^Panic$' }, { message = 'panicked', test = 'sig-compute' } ]
            hint = "Panics."

            [[rule]]
            id = "other"
            label = "Other"
            axis = "symptom"
            hint = "Anything else."
            "#,
        )
        .expect("valid");
        let rule = &rules.rules()[0];
        assert!(rule.matches(&failure("t", "Panic", "boom")));
        assert!(rule.matches(&failure("[sig-compute] t", "Failure", "test panicked")));
        assert!(!rule.matches(&failure("[sig-network] t", "Failure", "test panicked")));
        assert!(!rule.matches(&failure("t", "Failure", "boom")));
        // The direct pattern still applies: an empty message fails `message = '.'`.
        assert!(!rule.matches(&failure("t", "Panic", "")));
        assert!(rules.catch_all().matches(&failure("", "", "")));
    }

    #[test]
    fn minimal_file_parses_in_order() {
        let rules = RuleSet::parse(MINIMAL).expect("valid");
        let ids: Vec<&str> = rules.rules().iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["live-migration", "timeout", "other"]);
        assert_eq!(rules.catch_all().id, "other");
    }

    #[test]
    fn bad_regex_names_rule_and_field() {
        let toml = MINIMAL.replace("'(?i)timed out'", "'timed (out'");
        assert!(matches!(
            parse_err(&toml),
            RuleError::BadRegex { rule, field, .. } if rule == "timeout" && field == "message"
        ));
        let toml = MINIMAL.replace(
            "test = '(?i)migrat'",
            "any = [ { test = 'a' }, { type = '[' } ]",
        );
        let error = parse_err(&toml);
        assert!(matches!(
            &error,
            RuleError::BadRegex { rule, field, .. } if rule == "live-migration" && field == "any[1].type"
        ));
        assert!(error
            .to_string()
            .contains("`any[1].type` is not a valid regex"));
    }

    #[test]
    fn duplicate_id_is_rejected() {
        let toml = MINIMAL.replace("id = \"timeout\"", "id = \"live-migration\"");
        assert_eq!(
            parse_err(&toml),
            RuleError::DuplicateId {
                rule: "live-migration".into()
            }
        );
    }

    #[test]
    fn unknown_axis_is_rejected() {
        let toml = MINIMAL.replace("axis = \"area\"", "axis = \"areas\"");
        assert_eq!(
            parse_err(&toml),
            RuleError::UnknownAxis {
                rule: "live-migration".into(),
                axis: "areas".into()
            }
        );
    }

    #[test]
    fn missing_catch_all_is_rejected() {
        let toml = MINIMAL.replace(
            "hint = \"Anything else.\"",
            "message = 'x'\nhint = \"Anything else.\"",
        );
        assert_eq!(parse_err(&toml), RuleError::MissingCatchAll);
    }

    #[test]
    fn catch_all_must_be_the_last_symptom() {
        let toml = format!(
            "{MINIMAL}\n[[rule]]\nid = \"late\"\nlabel = \"Late\"\naxis = \"symptom\"\nmessage = 'x'\nhint = \"Never reached.\""
        );
        assert_eq!(
            parse_err(&toml),
            RuleError::CatchAllNotLast {
                rule: "other".into()
            }
        );
        // A later area rule does not make the catch-all unreachable.
        let toml = format!(
            "{MINIMAL}\n[[rule]]\nid = \"late\"\nlabel = \"Late\"\naxis = \"area\"\ntest = 'x'\nhint = \"Fine.\""
        );
        assert!(RuleSet::parse(&toml).is_ok());
    }

    #[test]
    fn area_without_patterns_is_rejected() {
        let toml = MINIMAL.replace("test = '(?i)migrat'", "");
        assert_eq!(
            parse_err(&toml),
            RuleError::NoPatterns {
                rule: "live-migration".into()
            }
        );
        let toml = format!(
            "{MINIMAL}\n[[rule]]\nid = \"late\"\nlabel = \"Late\"\naxis = \"area\"\nhint = \"Everything.\""
        );
        assert_eq!(
            parse_err(&toml),
            RuleError::NoPatterns {
                rule: "late".into()
            }
        );
    }

    #[test]
    fn empty_any_entry_is_rejected() {
        let toml = MINIMAL.replace("test = '(?i)migrat'", "any = [ { test = 'a' }, {} ]");
        assert_eq!(
            parse_err(&toml),
            RuleError::EmptyAnyEntry {
                rule: "live-migration".into(),
                index: 1
            }
        );
    }

    #[test]
    fn bad_ids_and_empty_texts_are_rejected() {
        for bad in [
            "Live-migration",
            "live_migration",
            "live--migration",
            "-live",
            "",
        ] {
            let toml = MINIMAL.replace("\"live-migration\"", &format!("{bad:?}"));
            assert_eq!(
                parse_err(&toml),
                RuleError::BadId { rule: bad.into() },
                "{bad:?}"
            );
        }
        let toml = MINIMAL.replace("\"Waits give up.\"", "\" \"");
        assert_eq!(
            parse_err(&toml),
            RuleError::Empty {
                rule: "timeout".into(),
                field: "hint"
            }
        );
    }

    fn literals(pattern: &str) -> Option<Vec<String>> {
        Literals::required_by(pattern).map(|literals| literals.words)
    }

    #[test]
    fn literals_are_one_required_word_per_alternative() {
        let cases: &[(&str, &[&str])] = &[
            (
                "(?i)Timed out|timeout|deadline exceeded",
                &["timed out", "timeout", "deadline exceeded"],
            ),
            (
                "(?i)admission webhook (\\S+ )?denied the request",
                &["admission webhook "],
            ),
            (
                "(?i)instance ?types?|flavor|preferences?\\b",
                &["instance", "flavor", "preference"],
            ),
            ("(?i)^Panic$", &["panic"]),
            ("(?i)\\[sig-storage\\]\\s*Hotplug", &["[sig-storage]"]),
            ("google\\.com|8\\.8\\.8\\.8", &["google.com", "8.8.8.8"]),
            ("ab+c", &["ab"]),
            ("x{2}yz", &["yz"]),
            ("[]a]bc|[^]d]ef", &["bc", "ef"]),
            ("(a|b)cd\\wef", &["cd"]),
            ("\\<start", &["start"]),
        ];
        for (pattern, words) in cases {
            let words: Vec<String> = words.iter().map(|&word| word.to_owned()).collect();
            assert_eq!(literals(pattern), Some(words), "{pattern}");
        }
        let ignore_case = Literals::required_by("(?i)X").map(|l| l.ignore_case);
        assert_eq!(ignore_case, Some(true));
    }

    #[test]
    fn patterns_without_sure_literals_have_none() {
        for pattern in [
            "",
            "a|",
            ".*",
            "(?i)\\b(cancel|abort)\\w*\\b",
            "(?:abc)",
            "ab(?i)cd",
            "(?s)abc",
            "\\x41bc",
            "\\pLx",
            "\\b{start}x",
            "[[:alpha:]]x",
            "a?b?",
        ] {
            assert_eq!(literals(pattern), None, "{pattern:?}");
        }
    }

    #[test]
    fn prefilter_never_changes_a_match() {
        let texts = [
            "",
            "Timed out after 360.001s. Timed out waiting for VMI testvmi-pw4cx",
            "TIMED OUT",
            "expect: timer EXPIRED after 120 seconds",
            "admission webhook \"x.kubevirt.io\" DENIED THE REQUEST: no",
            "[sig-storage] Hotplug should add a volume",
            "[SIG-STORAGE]HOTPLUG",
            "dial tcp 127.0.0.1:45925: connect: connection refused",
            "unexpected EOF",
            "geofence",
            "ping google.com failed",
            "[sig-compute]CPU Hotplug should plug vcpus",
            "panic: runtime error: nil map",
            "Panic",
            "é€ ü [sig-network] migration network é",
        ];
        let rules = RuleSet::builtin();
        let patterns = rules
            .rules()
            .iter()
            .flat_map(|rule| std::iter::once(&rule.all).chain(&rule.any))
            .flat_map(|patterns| [&patterns.test, &patterns.message, &patterns.failure_type])
            .flatten();
        let (mut filtered, mut total) = (0, 0);
        for pattern in patterns {
            total += 1;
            filtered += usize::from(pattern.literals.is_some());
            for text in texts {
                assert_eq!(
                    pattern.is_match(text, &text.to_ascii_lowercase()),
                    pattern.regex.is_match(text),
                    "{:?} on {text:?}",
                    pattern.regex.as_str()
                );
            }
        }
        assert!(
            filtered * 4 >= total * 3,
            "most builtin patterns have literals: {filtered} of {total}"
        );
    }

    #[test]
    fn malformed_files_are_toml_errors() {
        for bad in [
            "not toml at all [",
            "[[rule]]\nid = \"x\"\n",
            &MINIMAL.replace("test = ", "tset = "),
            &MINIMAL.replace("test = '(?i)migrat'", "any = [ { any = [] } ]"),
            "",
        ] {
            assert!(matches!(parse_err(bad), RuleError::Syntax(_)), "{bad:?}");
        }
    }
}
