//! KubeVirt Special Interest Groups, the unit every report is split by.
//!
//! A failure belongs to a SIG through its test name (`[sig-storage]...`) or, when no test ran,
//! through its job; a failed run that never produced a JUnit file belongs to SIG CI.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::words::is_slug;

/// A SIG. The derived order is the display order: the five core SIGs, then any other SIG
/// alphabetically, then CI (infrastructure) last.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sig {
    Compute,
    Storage,
    Network,
    Operator,
    Monitoring,
    /// A SIG label KubeVirt uses outside the core five, e.g. `performance`; holds its slug.
    Other(String),
    /// Infrastructure: runs that failed before or outside the tests.
    Ci,
}

impl Sig {
    /// The SIGs that get a card and a filter option even without failures: the five core SIGs
    /// and CI, in display order.
    pub fn always_shown() -> [Sig; 6] {
        [
            Sig::Compute,
            Sig::Storage,
            Sig::Network,
            Sig::Operator,
            Sig::Monitoring,
            Sig::Ci,
        ]
    }

    /// Short lowercase name used in URLs and serialized data: `compute`, ..., `ci`.
    pub fn slug(&self) -> &str {
        match self {
            Sig::Compute => "compute",
            Sig::Storage => "storage",
            Sig::Network => "network",
            Sig::Operator => "operator",
            Sig::Monitoring => "monitoring",
            Sig::Other(slug) => slug,
            Sig::Ci => "ci",
        }
    }

    /// Human name: `SIG Compute`, `SIG CI`, `SIG Performance`.
    pub fn label(&self) -> String {
        match self {
            Sig::Ci => "SIG CI".to_owned(),
            other => {
                let slug = other.slug();
                let (head, tail) = slug.split_at(slug.chars().next().map_or(0, char::len_utf8));
                format!("SIG {}{tail}", head.to_ascii_uppercase())
            }
        }
    }

    /// Inverse of [`Sig::slug`]. Any other well-formed slug (lowercase ASCII words joined by
    /// single dashes) becomes [`Sig::Other`]; anything else is rejected.
    pub fn parse_slug(slug: &str) -> Option<Sig> {
        let sig = match slug {
            "compute" => Sig::Compute,
            "storage" => Sig::Storage,
            "network" => Sig::Network,
            "operator" => Sig::Operator,
            "monitoring" => Sig::Monitoring,
            "ci" => Sig::Ci,
            other if is_slug(other) => Sig::Other(other.to_owned()),
            _ => return None,
        };
        Some(sig)
    }

    /// True for SIG CI, whose failures are about the CI system rather than KubeVirt code.
    pub fn is_infra(&self) -> bool {
        *self == Sig::Ci
    }

    /// The SIG of a Ginkgo test from its first well-formed `[sig-xxx]` tag. Sub-SIG labels
    /// (`sig-compute-migrations`, `sig-compute-instancetype`, `sig-compute-realtime`) belong
    /// to SIG Compute.
    pub fn from_test_name(name: &str) -> Option<Sig> {
        name.split('[')
            .skip(1)
            .filter_map(|chunk| chunk.split_once(']'))
            .filter_map(|(tag, _)| tag.strip_prefix("sig-"))
            .find_map(|slug| match slug.strip_prefix("compute-") {
                Some(sub) if is_slug(sub) => Some(Sig::Compute),
                _ => Sig::parse_slug(slug),
            })
    }

    /// The SIG of a job lane as ci-health assigns it (see [`crate::job::JobName::lane`]).
    /// Lanes outside ci-health's mapping, such as `sig-performance` or `windows2016`, have none.
    pub fn from_job_lane(lane: &str) -> Option<Sig> {
        match lane {
            "sig-compute"
            | "sig-compute-migrations"
            | "sig-compute-realtime"
            | "compute-migrations"
            | "realtime"
            | "vgpu"
            | "sev" => Some(Sig::Compute),
            "sig-network" | "sriov" => Some(Sig::Network),
            "sig-storage" => Some(Sig::Storage),
            "sig-operator" => Some(Sig::Operator),
            "sig-monitoring" => Some(Sig::Monitoring),
            _ => None,
        }
    }
}

impl Serialize for Sig {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.slug())
    }
}

impl<'de> Deserialize<'de> for Sig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let slug = String::deserialize(deserializer)?;
        Sig::parse_slug(&slug)
            .ok_or_else(|| serde::de::Error::custom(format!("not a SIG slug: {slug:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn other(slug: &str) -> Sig {
        Sig::Other(slug.to_owned())
    }

    #[test]
    fn sorts_in_display_order() {
        let mut sigs = [
            Sig::Ci,
            other("performance"),
            Sig::Monitoring,
            other("architecture"),
            Sig::Operator,
            Sig::Network,
            Sig::Storage,
            Sig::Compute,
        ];
        sigs.sort();
        let slugs: Vec<&str> = sigs.iter().map(Sig::slug).collect();
        assert_eq!(
            slugs,
            [
                "compute",
                "storage",
                "network",
                "operator",
                "monitoring",
                "architecture",
                "performance",
                "ci"
            ]
        );
    }

    #[test]
    fn always_shown_are_the_core_five_then_ci_in_order() {
        let shown = Sig::always_shown();
        assert!(shown.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(shown[..5].iter().all(|sig| !sig.is_infra()));
        assert_eq!(shown[5], Sig::Ci);
        assert!(other("aaa") > shown[4] && other("zzz") < shown[5]);
    }

    #[test]
    fn slug_round_trips() {
        for sig in Sig::always_shown()
            .into_iter()
            .chain([other("performance")])
        {
            assert_eq!(Sig::parse_slug(sig.slug()), Some(sig));
        }
    }

    #[test]
    fn parse_slug_rejects_malformed() {
        for bad in [
            "",
            "Compute",
            "sig compute",
            "net/work",
            "ci\n",
            "compute-",
            "-x",
            "a--b",
        ] {
            assert_eq!(Sig::parse_slug(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn labels() {
        assert_eq!(Sig::Compute.label(), "SIG Compute");
        assert_eq!(Sig::Monitoring.label(), "SIG Monitoring");
        assert_eq!(Sig::Ci.label(), "SIG CI");
        assert_eq!(other("performance").label(), "SIG Performance");
    }

    #[test]
    fn only_ci_is_infra() {
        assert!(Sig::Ci.is_infra());
        assert!(!other("ci-ish").is_infra());
        assert!(!Sig::Compute.is_infra());
    }

    #[test]
    fn sig_from_test_name() {
        let cases = [
            (
                "[sig-compute]VMIlifecycle [rfe_id:273][crit:high] should start it",
                Some(Sig::Compute),
            ),
            (
                "[sig-compute-migrations]VM Live Migration [Serial] should migrate",
                Some(Sig::Compute),
            ),
            (
                "[sig-compute-instancetype]Instancetype and Preferences",
                Some(Sig::Compute),
            ),
            (
                "[sig-compute-realtime]Realtime should start",
                Some(Sig::Compute),
            ),
            ("[sig-network] Port-forward should work", Some(Sig::Network)),
            (
                "[Serial][sig-storage]Hotplug should attach",
                Some(Sig::Storage),
            ),
            (
                "[sig-operator]Operator [Serial] should update",
                Some(Sig::Operator),
            ),
            ("[sig-monitoring]Prometheus Alerts", Some(Sig::Monitoring)),
            ("[sig-performance]Density test", Some(other("performance"))),
            (
                "[rfe_id:1][sig-network] first sig tag wins [sig-storage]",
                Some(Sig::Network),
            ),
            (
                "[sig-] skips a malformed tag [sig-storage]",
                Some(Sig::Storage),
            ),
            (
                "[sig-compute-] skips a malformed tag [sig-storage]",
                Some(Sig::Storage),
            ),
            ("[sig-compute- broken [sig-network]x", Some(Sig::Network)),
            ("[BeforeSuite]", None),
            ("no tags at all", None),
            ("unterminated [sig-compute", None),
            ("", None),
        ];
        for (name, want) in cases {
            assert_eq!(Sig::from_test_name(name), want, "{name}");
        }
    }

    #[test]
    fn sig_from_job_lane() {
        let cases = [
            ("sig-compute", Some(Sig::Compute)),
            ("sig-compute-migrations", Some(Sig::Compute)),
            ("realtime", Some(Sig::Compute)),
            ("vgpu", Some(Sig::Compute)),
            ("sev", Some(Sig::Compute)),
            ("sig-network", Some(Sig::Network)),
            ("sriov", Some(Sig::Network)),
            ("sig-storage", Some(Sig::Storage)),
            ("sig-operator", Some(Sig::Operator)),
            ("sig-monitoring", Some(Sig::Monitoring)),
            ("sig-performance", None),
            ("windows2016", None),
            ("", None),
        ];
        for (lane, want) in cases {
            assert_eq!(Sig::from_job_lane(lane), want, "{lane}");
        }
    }

    #[test]
    fn serde_uses_the_slug() {
        let json = serde_json::to_string(&[Sig::Compute, Sig::Ci, other("performance")]).unwrap();
        assert_eq!(json, r#"["compute","ci","performance"]"#);
        let back: Vec<Sig> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, [Sig::Compute, Sig::Ci, other("performance")]);
        assert!(serde_json::from_str::<Sig>(r#""SIG Compute""#).is_err());
        assert!(serde_json::from_str::<Sig>("3").is_err());
    }
}
