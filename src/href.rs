//! The one decision of what may become a link. Every `href` the page renders comes from data or
//! the URL (a failed request, a leaderboard entry, a run path, a test location), so each is
//! checked here: only `https:`, `http:` to this machine, or a path relative to the page. Anything
//! else (`javascript:`, `data:`, `//elsewhere`, text the browser would repair into one of those)
//! is shown as text.

/// What kind of target a URL that may be linked is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// `https://<host>...`
    Https,
    /// `http://` to a loopback host: 127.0.0.0/8, `localhost`, `[::1]`.
    Loopback,
    /// A path on the page's own site (`./sample/x.json`, `a/b`, `?q=1`).
    Relative,
}

/// The URL, if it may be an `href`.
pub fn checked(url: &str) -> Option<&str> {
    target(url).map(|_| url)
}

/// What `url` links to, or `None` if it must not be linked.
///
/// Strict where browsers are lenient: they drop tabs and newlines inside a URL, trim spaces and
/// control characters, and read `\` as `/`, so a URL holding any of those is refused outright
/// rather than guessed at.
pub fn target(url: &str) -> Option<Target> {
    let bytes = url.as_bytes();
    if bytes.is_empty() || bytes.iter().any(|&b| b <= b' ' || b == 0x7f || b == b'\\') {
        return None;
    }
    let end = bytes.iter().position(|b| b"/?#:".contains(b));
    let Some(colon) = end.filter(|&at| bytes[at] == b':') else {
        // No scheme: relative, unless it names another host (`//host/x`).
        return (!url.starts_with("//")).then_some(Target::Relative);
    };
    let authority = url[colon + 1..].strip_prefix("//")?;
    let host = authority.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || host.contains('@') {
        return None;
    }
    let scheme = &url[..colon];
    if scheme.eq_ignore_ascii_case("https") {
        Some(Target::Https)
    } else if scheme.eq_ignore_ascii_case("http") && is_loopback(host) {
        Some(Target::Loopback)
    } else {
        None
    }
}

/// `127.x.y.z`, `localhost` or `[::1]`, with an optional port.
fn is_loopback(host_port: &str) -> bool {
    let host = match host_port.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(':') && is_decimal(port) => host,
        Some((host, _)) if host.starts_with('[') => host_port,
        Some(_) => return false,
        None => host_port,
    };
    if host.eq_ignore_ascii_case("localhost") || host == "[::1]" {
        return true;
    }
    let octets: Vec<&str> = host.split('.').collect();
    octets.len() == 4
        && octets[0] == "127"
        && octets
            .iter()
            .all(|octet| is_decimal(octet) && octet.len() <= 3 && octet.parse::<u8>().is_ok())
}

fn is_decimal(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_loopback_http_and_relative_paths_are_links() {
        let cases = [
            (
                "https://prow.ci.kubevirt.io/view/gs/kubevirt-prow/logs/j/1",
                Target::Https,
            ),
            ("HTTPS://storage.googleapis.com/x", Target::Https),
            ("https://kubevirt.io?x=1", Target::Https),
            ("http://127.0.0.1:4443/storage/v1/b/x/o", Target::Loopback),
            ("http://127.1.2.3/x", Target::Loopback),
            ("http://localhost:8080", Target::Loopback),
            ("http://LOCALHOST/x", Target::Loopback),
            ("http://[::1]:9000/x", Target::Loopback),
            ("http://[::1]", Target::Loopback),
            ("./sample/manifest.json", Target::Relative),
            ("sample/x.json", Target::Relative),
            ("/triage/", Target::Relative),
            ("?source=sample", Target::Relative),
            ("#main", Target::Relative),
            ("a/b:c", Target::Relative),
        ];
        for (url, want) in cases {
            assert_eq!(target(url), Some(want), "{url}");
            assert_eq!(checked(url), Some(url));
        }
    }

    #[test]
    fn everything_else_is_text() {
        let hostile = [
            "javascript:void(0)//x",
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "\u{0}javascript:alert(1)",
            "javascript\u{7f}:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "blob:https://x/y",
            "file:///etc/passwd",
            "ftp://example.com/",
            "//evil.example/x",
            "https:\\\\evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "https:evil.example",
            "https:/evil.example",
            "https://",
            "https://user@evil.example/",
            "http://example.com/",
            "http://127.0.0.1.evil.example/",
            "http://127.0.0.1@evil.example/",
            "http://128.0.0.1/",
            "http://127.0.0.256/",
            "http://127.0.1/",
            "http://0x7f.0.0.1/",
            "http://%31%32%37.0.0.1/",
            "http://[::2]/",
            "http://localhost.evil.example/",
            "http://127.0.0.1:80x/",
            "",
            "mailto:a@b",
        ];
        for url in hostile {
            assert_eq!(target(url), None, "{url:?}");
            assert_eq!(checked(url), None);
        }
    }
}
