//! Reading order and output paths. Pages sit in folders (sections); a folder's `_index.md` is the
//! section's own page. Within a folder, pages and sub-sections are ordered by weight (a section
//! weighs what its `_index.md` says), then by path; the reading order walks that tree depth-first,
//! each section's own page first.

use std::collections::{BTreeMap, HashMap};

use super::Page;

/// `guide/fix.md` → `guide/fix.html`, `guide/_index.md` (or mdBook's `guide/README.md`) →
/// `guide/index.html`, `_index.md` → `index.html`. Flat files, so the site works from `file://`.
pub(crate) fn url_for(rel: &str) -> String {
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    let dir = stem
        .strip_suffix("_index")
        .or_else(|| stem.strip_suffix("README"));
    match dir {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("{dir}index.html"),
        _ => format!("{stem}.html"),
    }
}

/// Whether a file name is a folder's own page: `_index.md` (Zola, Hugo), `index.md` (Hugo's
/// bundles) or `README.md` (mdBook, code hosts).
pub(crate) fn is_index_name(name: &str) -> bool {
    matches!(name, "_index.md" | "index.md" | "README.md")
}

/// The folder of a page (`guide/deep/x.md` → `guide/deep`; top level → ``).
pub(crate) fn folder_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// Sorts `pages` into reading order.
pub(crate) fn reading_order(pages: Vec<Page>) -> Vec<Page> {
    let mut folders: BTreeMap<String, Folder> = BTreeMap::new();
    for (i, page) in pages.iter().enumerate() {
        let folder = folder_of(&page.rel).to_string();
        register(&mut folders, &folder);
        let entry = folders.entry(folder).or_default();
        if page.is_index {
            entry.index = Some(i);
        } else {
            entry.pages.push(i);
        }
    }
    let weight_of = |folder: &str| {
        folders
            .get(folder)
            .and_then(|f| f.index)
            .map_or(0, |i| pages[i].front.weight)
    };
    let mut children: HashMap<&str, Vec<(i64, String, Child)>> = HashMap::new();
    for (name, folder) in &folders {
        let list = children.entry(name.as_str()).or_default();
        list.extend(
            folder
                .pages
                .iter()
                .map(|&i| (pages[i].front.weight, pages[i].rel.clone(), Child::Page(i))),
        );
        list.extend(folder.subfolders.iter().map(|sub| {
            (
                weight_of(sub),
                format!("{sub}/"),
                Child::Folder(sub.clone()),
            )
        }));
        list.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    }
    let mut order = Vec::with_capacity(pages.len());
    walk("", &folders, &children, &mut order);
    let mut slots: Vec<Option<Page>> = pages.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

#[derive(Default)]
struct Folder {
    index: Option<usize>,
    pages: Vec<usize>,
    subfolders: Vec<String>,
}

enum Child {
    Page(usize),
    Folder(String),
}

/// Makes sure `folder` and its ancestors exist, each listed in its parent.
fn register(folders: &mut BTreeMap<String, Folder>, folder: &str) {
    if folders.contains_key(folder) {
        return;
    }
    folders.insert(folder.to_string(), Folder::default());
    if folder.is_empty() {
        return;
    }
    let parent = folder_of(folder).to_string();
    register(folders, &parent);
    if let Some(p) = folders.get_mut(&parent) {
        p.subfolders.push(folder.to_string());
    }
}

fn walk(
    folder: &str,
    folders: &BTreeMap<String, Folder>,
    children: &HashMap<&str, Vec<(i64, String, Child)>>,
    order: &mut Vec<usize>,
) {
    if let Some(index) = folders.get(folder).and_then(|f| f.index) {
        order.push(index);
    }
    for (_, _, child) in children.get(folder).into_iter().flatten() {
        match child {
            Child::Page(i) => order.push(*i),
            Child::Folder(sub) => walk(sub, folders, children, order),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_flat_files() {
        assert_eq!(url_for("guide/fix.md"), "guide/fix.html");
        assert_eq!(url_for("guide/_index.md"), "guide/index.html");
        assert_eq!(url_for("_index.md"), "index.html");
        assert_eq!(url_for("my_index.md"), "my_index.html");
        assert_eq!(url_for("cli/README.md"), "cli/index.html");
        assert_eq!(url_for("README.md"), "index.html");
        assert_eq!(url_for("NOTREADME.md"), "NOTREADME.html");
    }

    fn page(rel: &str, weight: i64) -> Page {
        let mut p = Page::new(rel, Default::default(), String::new(), 1);
        p.front.weight = weight;
        p
    }

    #[test]
    fn sections_by_weight_then_path_index_first() {
        let pages = vec![
            page("_index.md", 0),
            page("a.md", 5),
            page("b/_index.md", 1),
            page("b/x.md", 0),
            page("b/a.md", 0),
            page("c/z.md", 0),
            page("z.md", -1),
        ];
        let order: Vec<String> = reading_order(pages).into_iter().map(|p| p.rel).collect();
        assert_eq!(
            order,
            [
                "_index.md",
                "z.md",
                "c/z.md",
                "b/_index.md",
                "b/a.md",
                "b/x.md",
                "a.md"
            ]
        );
    }
}
