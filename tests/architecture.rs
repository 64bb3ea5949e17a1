//! Checks on the source tree itself.
//!
//! No module cycles: reads the sources of every package of the workspace (the parse path
//! `crates/parse`, the core `crates/core`, the app `src/` with `source/` and `ui/`), builds each
//! crate's module dependency graph from `use` items and `crate::`/`super::`/`self::` paths (macro
//! bodies such as `view!` included, test code not), and fails naming every cycle. Between the
//! packages cargo itself forbids cycles.
//!
//! All knowledge of the bucket's layout and of the sites around it lives in the parse path's
//! `prow` module: no other non-test source spells the bucket, its folders or those URLs.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::{self, Visit};

/// A module as its path from the crate root (`["source", "discover"]`; the root is `[]`).
type Module = Vec<String>;

/// Modules and the modules each one uses.
type Graph = BTreeMap<Module, BTreeSet<Module>>;

/// The library packages under `crates/`, each with its crate name and how many modules it has
/// at least (so that a wrong folder cannot pass as a graph without cycles).
const PACKAGES: [(&str, &str, usize); 2] = [
    ("crates/parse", "triage_parse", 10),
    ("crates/core", "triage_core", 15),
];

#[test]
fn each_package_under_crates_has_no_module_cycles() {
    for (dir, krate, at_least) in PACKAGES {
        let graph = crate_graph(&root().join(dir), "lib.rs");
        assert!(
            graph.len() >= at_least,
            "read only {} modules of {krate}",
            graph.len()
        );
        assert_no_cycles(krate, &graph);
    }
}

/// Every member of the workspace is one of the packages checked above.
#[test]
fn the_cycle_check_covers_every_workspace_member() {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).expect("Cargo.toml");
    let members = manifest
        .lines()
        .find_map(|line| line.strip_prefix("members = "))
        .expect("a workspace members line");
    let members: BTreeSet<&str> = members
        .trim_matches(['[', ']'])
        .split(',')
        .map(|member| member.trim().trim_matches('"'))
        .collect();
    let checked: BTreeSet<&str> = PACKAGES.iter().map(|(dir, _, _)| *dir).collect();
    assert_eq!(members, checked, "workspace members vs packages checked");
}

#[test]
fn the_app_has_no_module_cycles() {
    let graph = crate_graph(&root().join("src"), "lib.rs");
    for layer in ["source", "ui"] {
        assert!(
            graph
                .keys()
                .any(|module| module.len() == 2 && module[0] == layer),
            "no modules read under src/{layer}"
        );
    }
    assert_no_cycles("kubevirt_ci_triage", &graph);
}

/// The check itself finds what it should: a two-module cycle and a longer one through `super`
/// and a macro body, but not a test module's `use super::*`.
#[test]
fn cycles_are_found_in_use_items_paths_and_macros() {
    let files = [
        ("a", "use crate::b::B; pub struct A;"),
        ("b", "pub struct B; fn f() -> super::a::A { todo!() }"),
        ("c", "pub fn c() { view! { <crate::d::D/> } }"),
        ("d", "use super::e::{self, E};"),
        (
            "e",
            "pub fn e() { crate::c::c() } #[cfg(test)] mod tests { use crate::f::*; }",
        ),
        ("f", "use super::e; pub struct F;"),
    ];
    let known: BTreeSet<Module> = files
        .iter()
        .map(|(name, _)| vec![name.to_string()])
        .collect();
    let graph: Graph = files
        .iter()
        .map(|(name, source)| {
            let module = vec![name.to_string()];
            let deps = dependencies(source, &module, &known);
            (module, deps)
        })
        .collect();
    let cycles: Vec<Vec<String>> = cycles(&graph)
        .into_iter()
        .map(|(members, _)| members)
        .collect();
    assert_eq!(
        cycles,
        [vec!["a", "b"], vec!["c", "d", "e"]],
        "graph: {graph:?}"
    );
}

/// What only `crates/parse/prow.rs` may spell out.
const LAYOUT: &[&str] = &[
    "kubevirt-prow",
    "kubevirt_kubevirt",
    "pr-logs/",
    "\"logs/",
    "prow.ci.kubevirt.io",
    "github.com/kubevirt",
    "storage.googleapis.com",
];

#[test]
fn only_the_prow_module_knows_the_bucket_layout() {
    let root = root();
    let mut files = Vec::new();
    for dir in ["crates/parse", "crates/core", "src"] {
        collect_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 40, "read only {} files", files.len());
    let mut found = Vec::new();
    for file in files
        .iter()
        // Test modules in files of their own (`tests.rs`) may spell paths out, like `mod tests`.
        .filter(|file| !file.ends_with("crates/parse/prow.rs") && !file.ends_with("tests.rs"))
    {
        let source = std::fs::read_to_string(file).expect("readable source");
        for (number, line) in code_lines(&source) {
            for needle in LAYOUT.iter().filter(|needle| line.contains(**needle)) {
                let at = file.strip_prefix(&root).unwrap_or(file).display();
                found.push(format!("{at}:{number}: {needle}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "bucket layout outside prow.rs:\n{}",
        found.join("\n")
    );
}

/// The non-comment lines before the file's test module (by this codebase's convention the
/// last item, `#[cfg(test)] mod tests`), numbered from 1.
fn code_lines(source: &str) -> impl Iterator<Item = (usize, &str)> {
    let code = source
        .find("#[cfg(test)]\nmod tests")
        .map_or(source, |end| &source[..end]);
    code.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .map(|(index, line)| (index + 1, line))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn assert_no_cycles(krate: &str, graph: &Graph) {
    let found: Vec<String> = cycles(graph)
        .iter()
        .map(|(members, path)| {
            let members = members.join(", ");
            format!("{krate}: {} (all of: {members})", path.join(" -> "))
        })
        .collect();
    assert!(found.is_empty(), "module cycles:\n{}", found.join("\n"));
}

/// The graph of the crate whose root file is `dir/root_file`: every `.rs` file below `dir` is a
/// module (`x.rs` and `x/mod.rs` are `x`).
fn crate_graph(dir: &Path, root_file: &str) -> Graph {
    let mut files = Vec::new();
    collect_files(dir, &mut files);
    let modules: BTreeMap<Module, PathBuf> = files
        .into_iter()
        .filter_map(|file| Some((module_of(dir, &file, root_file)?, file)))
        .collect();
    let known: BTreeSet<Module> = modules.keys().cloned().collect();
    modules
        .iter()
        .map(|(module, file)| {
            let source = std::fs::read_to_string(file).expect("readable source");
            (module.clone(), dependencies(&source, module, &known))
        })
        .collect()
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable folder") {
        let path = entry.expect("folder entry").path();
        if path.is_dir() {
            collect_files(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
}

/// The module a file holds; `None` for files outside the crate's tree (other crate roots such
/// as `main.rs`, build scripts).
fn module_of(dir: &Path, file: &Path, root_file: &str) -> Option<Module> {
    let relative = file.strip_prefix(dir).ok()?;
    let mut parts: Vec<String> = relative
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    let name = parts.pop()?;
    if parts.is_empty() && (name == root_file) {
        return Some(Vec::new());
    }
    if parts.is_empty() && matches!(name.as_str(), "main.rs" | "build.rs") {
        return None;
    }
    if name != "mod.rs" {
        parts.push(name.strip_suffix(".rs")?.to_owned());
    }
    Some(parts)
}

/// The modules of the crate that the non-test code of `source` (the file of `module`) uses.
fn dependencies(source: &str, module: &Module, known: &BTreeSet<Module>) -> BTreeSet<Module> {
    let file = syn::parse_file(source).unwrap_or_else(|e| panic!("{module:?}: {e}"));
    let mut collector = Collector {
        file_module: module.clone(),
        inline: Vec::new(),
        known,
        deps: BTreeSet::new(),
    };
    collector.visit_file(&file);
    // A module declaring and re-exporting its own submodules is structure, not a dependency.
    collector.deps.retain(|dep| !dep.starts_with(module));
    collector.deps
}

struct Collector<'k> {
    file_module: Module,
    /// Inline modules (`mod x { ... }`) the visitor is in.
    inline: Vec<String>,
    known: &'k BTreeSet<Module>,
    deps: BTreeSet<Module>,
}

impl Collector<'_> {
    /// Records the module a path names, if it names one of the crate's.
    fn path(&mut self, segments: &[String]) {
        let Some(first) = segments.first() else {
            return;
        };
        let mut current = self.file_module.clone();
        current.extend(self.inline.iter().cloned());
        let (mut base, rest) = match first.as_str() {
            "crate" => (Vec::new(), &segments[1..]),
            "self" => (current, &segments[1..]),
            "super" => {
                let supers = segments.iter().take_while(|s| *s == "super").count();
                let mut base = current;
                base.truncate(base.len().saturating_sub(supers));
                (base, &segments[supers..])
            }
            // A child module named without `self::`.
            _ if segments.len() > 1
                && self
                    .known
                    .contains(&[current.clone(), vec![first.clone()]].concat()) =>
            {
                (current, segments)
            }
            _ => return,
        };
        // The longest prefix that is a file module; items and inline modules belong to it.
        let mut target = None;
        for segment in rest {
            base.push(segment.clone());
            if self.known.contains(&base) {
                target = Some(base.clone());
            }
        }
        let target = target.or_else(|| {
            let mut base = base;
            while !base.is_empty() && !self.known.contains(&base) {
                base.pop();
            }
            Some(base)
        });
        self.deps.extend(target);
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.use_tree(prefix, &path.tree);
                prefix.pop();
            }
            syn::UseTree::Name(name) => self.use_leaf(prefix, &name.ident),
            syn::UseTree::Rename(rename) => self.use_leaf(prefix, &rename.ident),
            syn::UseTree::Glob(_) => self.path(prefix),
            syn::UseTree::Group(group) => {
                for tree in &group.items {
                    self.use_tree(prefix, tree);
                }
            }
        }
    }

    fn use_leaf(&mut self, prefix: &[String], ident: &syn::Ident) {
        let mut path = prefix.to_vec();
        // `use super::x::{self}` names `x` itself.
        if ident != "self" {
            path.push(ident.to_string());
        }
        self.path(&path);
    }

    /// `crate::a::b`, `super::a`, `self::a` sequences in a macro's tokens.
    fn tokens(&mut self, tokens: TokenStream) {
        let mut path: Vec<String> = Vec::new();
        let mut colons = 0;
        for token in tokens {
            match token {
                TokenTree::Ident(ident) if path.is_empty() || colons == 2 => {
                    let ident = ident.to_string();
                    if path.is_empty() && !matches!(ident.as_str(), "crate" | "super" | "self") {
                        continue;
                    }
                    path.push(ident);
                    colons = 0;
                }
                TokenTree::Punct(punct) if punct.as_char() == ':' && !path.is_empty() => {
                    colons += 1;
                }
                other => {
                    self.end_token_path(&mut path);
                    colons = 0;
                    if let TokenTree::Group(group) = other {
                        self.tokens(group.stream());
                    }
                }
            }
        }
        self.end_token_path(&mut path);
    }

    fn end_token_path(&mut self, path: &mut Vec<String>) {
        if path.len() > 1 {
            self.path(path);
        }
        path.clear();
    }
}

fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && attr
                .parse_args::<syn::Ident>()
                .is_ok_and(|ident| ident == "test")
    })
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs = match item {
            syn::Item::Mod(item) => &item.attrs,
            syn::Item::Fn(item) => &item.attrs,
            syn::Item::Use(item) => &item.attrs,
            syn::Item::Impl(item) => &item.attrs,
            syn::Item::Const(item) => &item.attrs,
            syn::Item::Static(item) => &item.attrs,
            syn::Item::Struct(item) => &item.attrs,
            syn::Item::Enum(item) => &item.attrs,
            _ => return visit::visit_item(self, item),
        };
        if !is_test_only(attrs) {
            visit::visit_item(self, item);
        }
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        if let Some((_, items)) = &item.content {
            self.inline.push(item.ident.to_string());
            items.iter().for_each(|item| self.visit_item(item));
            self.inline.pop();
        }
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &item.tree);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.path(&segments);
        visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.tokens(mac.tokens.clone());
        visit::visit_macro(self, mac);
    }
}

/// Every strongly connected component of more than one module, as its sorted members (`::`
/// joined) and one cycle through them.
fn cycles(graph: &Graph) -> Vec<(Vec<String>, Vec<String>)> {
    let name = |module: &Module| {
        if module.is_empty() {
            "crate".to_owned()
        } else {
            module.join("::")
        }
    };
    let mut found: Vec<_> = components(graph)
        .into_iter()
        .filter(|component| component.len() > 1)
        .map(|component| {
            let members: BTreeSet<&Module> = component.iter().collect();
            let path = cycle_through(graph, &members);
            let mut names: Vec<String> = component.iter().map(name).collect();
            names.sort();
            (names, path.iter().map(name).collect())
        })
        .collect();
    found.sort();
    found
}

/// Tarjan's strongly connected components.
fn components(graph: &Graph) -> Vec<Vec<Module>> {
    struct State<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g Module, usize>,
        low: BTreeMap<&'g Module, usize>,
        stack: Vec<&'g Module>,
        on_stack: BTreeSet<&'g Module>,
        found: Vec<Vec<Module>>,
    }
    fn visit<'g>(state: &mut State<'g>, module: &'g Module) {
        let next = state.index.len();
        state.index.insert(module, next);
        state.low.insert(module, next);
        state.stack.push(module);
        state.on_stack.insert(module);
        for dep in state.graph.get(module).into_iter().flatten() {
            let Some((dep, _)) = state.graph.get_key_value(dep) else {
                continue;
            };
            if !state.index.contains_key(dep) {
                visit(state, dep);
                let low = state.low[module].min(state.low[dep]);
                state.low.insert(module, low);
            } else if state.on_stack.contains(dep) {
                let low = state.low[module].min(state.index[dep]);
                state.low.insert(module, low);
            }
        }
        if state.low[module] == state.index[module] {
            let mut component = Vec::new();
            while let Some(member) = state.stack.pop() {
                state.on_stack.remove(member);
                component.push(member.clone());
                if member == module {
                    break;
                }
            }
            state.found.push(component);
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for module in graph.keys() {
        if !state.index.contains_key(module) {
            visit(&mut state, module);
        }
    }
    state.found
}

/// A shortest cycle from the first member back to itself, inside the component.
fn cycle_through(graph: &Graph, members: &BTreeSet<&Module>) -> Vec<Module> {
    let start = *members.first().expect("a component has members");
    let mut came_from: BTreeMap<&Module, &Module> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(module) = queue.pop_front() {
        for dep in &graph[module] {
            if dep == start {
                let mut path = vec![start.clone()];
                let mut at = module;
                while at != start {
                    path.push(at.clone());
                    at = came_from[at];
                }
                path.push(start.clone());
                path.reverse();
                return path;
            }
            if members.contains(&dep) && !came_from.contains_key(dep) {
                came_from.insert(dep, module);
                queue.push_back(dep);
            }
        }
    }
    vec![start.clone()]
}
