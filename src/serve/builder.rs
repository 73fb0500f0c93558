//! Rebuilds for the dev server. Each build goes into a hidden staging folder beside the output
//! folder; only a build that succeeds (no error, every check passed) is swapped in, under the
//! server's write lock, so readers never see a half-written or a broken site. The replaced build
//! is deleted in the background.
//!
//! An edit to one page's text takes the fast path instead ([`Site::update_page`]): the last
//! good build is kept in memory, only that page is rendered and written again (each file
//! replaced whole), open pages reload at once, and the files made from every page (print page,
//! search index) follow in the background once the edits pause.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::Context as _;

use super::state::State;
use super::verifier::LiveMarks;
use crate::markdown::RenderedPage;
use crate::output::verify::Marks;
use crate::site::{Built, RenderCache, Site};

/// Knows where to build from and to; cheap to clone into the watcher thread.
#[derive(Debug, Clone)]
pub(crate) struct Builder {
    root: PathBuf,
    out: PathBuf,
    staging: PathBuf,
    report: PathBuf,
    cache: RenderCache,
    /// The live run's marks (see `verifier`); builds use them while a run goes on.
    live: Arc<LiveMarks>,
    /// Told after every good build (the live runner looks for changed snippets).
    after: Arc<Mutex<Option<Sender<()>>>>,
    /// One build at a time: the watcher's thread and the live runner both rebuild, and they
    /// share the staging folder.
    building: Arc<Mutex<()>>,
    /// The site and its rendered pages as the served folder holds them (after a good build),
    /// for the fast path; `None` after a failed build.
    last: Arc<Mutex<Option<Last>>>,
    /// Counts the builds and updates asked for (counted before waiting for the build lock):
    /// background work that sees it change gives way.
    asked: Arc<AtomicU64>,
    /// `ROOT/content`, absolute: the folder whose `.md` edits may take the fast path.
    content: PathBuf,
}

/// The last good build, in memory.
#[derive(Debug)]
struct Last {
    site: Site,
    rendered: Vec<RenderedPage>,
}

/// How long edits must pause before the print page and search index are written again.
const SITE_FILES_AFTER: Duration = Duration::from_millis(300);

impl Builder {
    /// Builds `root` into `out`, marking snippets from the test report at `report`.
    pub(crate) fn new(root: PathBuf, out: PathBuf, report: PathBuf) -> anyhow::Result<Builder> {
        let out = std::path::absolute(&out)
            .with_context(|| format!("resolving the output folder {}", out.display()))?;
        let name = out
            .file_name()
            .with_context(|| format!("the output folder {} has no name", out.display()))?;
        let staging = out.with_file_name(format!(".{}.staging", name.to_string_lossy()));
        // Serving swaps `out` whole after every good build: never a folder of someone else's.
        crate::output::refuse_foreign(&out)?;
        let content = std::path::absolute(root.join("content"))
            .with_context(|| format!("resolving {}", root.join("content").display()))?;
        Ok(Builder {
            content,
            last: Arc::default(),
            asked: Arc::default(),
            root,
            out,
            staging,
            report,
            cache: RenderCache::default(),
            live: Arc::default(),
            after: Arc::default(),
            building: Arc::default(),
        })
    }

    /// Renders `site` through the render cache (unchanged pages are not rendered again).
    pub(crate) fn render_cached(&self, site: &Site) -> anyhow::Result<Vec<RenderedPage>> {
        Ok(site.render_with(Some(&self.cache))?.0)
    }

    /// The marks of the live run, shared with the runner.
    pub(crate) fn live(&self) -> &LiveMarks {
        &self.live
    }

    /// Has `sender` told after every good build (by every clone of this builder).
    pub(crate) fn notify_after_builds(&self, sender: Sender<()>) {
        *self.after.lock().unwrap_or_else(PoisonError::into_inner) = Some(sender);
    }

    /// The folder a good build is served from.
    pub(crate) fn out(&self) -> &Path {
        &self.out
    }

    /// Builds once and updates `state`: a good build is swapped in and open pages reload; a
    /// failed one is printed here and shown on open pages, and the last good site stays.
    /// Blocking: call from a thread, not from async code.
    pub(crate) fn rebuild(&self, state: &State) {
        self.asked.fetch_add(1, Ordering::SeqCst);
        let _one_at_a_time = self.building.lock().unwrap_or_else(PoisonError::into_inner);
        self.rebuild_locked(state);
    }

    /// Updates the site after `paths` changed: the fast path when it is one page's text (see
    /// the module's doc), else [`Builder::rebuild`].
    pub(crate) fn changed(&self, state: &State, paths: &[PathBuf]) {
        let asked = self.asked.fetch_add(1, Ordering::SeqCst) + 1;
        let _one_at_a_time = self.building.lock().unwrap_or_else(PoisonError::into_inner);
        let started = Instant::now();
        let rel = match paths {
            [path] => path
                .strip_prefix(&self.content)
                .ok()
                .map(|rel| rel.to_string_lossy().replace('\\', "/"))
                .filter(|rel| rel.ends_with(".md")),
            _ => None,
        };
        if let Some(rel) = rel {
            let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(Last { site, rendered }) = last.as_mut() {
                match site.update_page(rendered, &rel, &self.out) {
                    Ok(Some(_)) => {
                        drop(last);
                        eprintln!("updated {rel} in {} ms", started.elapsed().as_millis());
                        state.succeeded();
                        self.tell_after();
                        self.site_files_later(asked);
                        return;
                    }
                    Ok(None) => {}
                    Err(err) => {
                        eprintln!("warning: updating {rel} in place: {err:#}; building again");
                        *last = None;
                    }
                }
            }
        }
        self.rebuild_locked(state);
    }

    /// Writes the print page and search index again once no newer update was asked for in
    /// [`SITE_FILES_AFTER`], under the build lock (so never during a build or swap), giving way
    /// to the next edit as soon as it is asked for (that edit schedules its own).
    fn site_files_later(&self, asked: u64) {
        let builder = self.clone();
        std::thread::spawn(move || {
            std::thread::sleep(SITE_FILES_AFTER);
            let newer = || builder.asked.load(Ordering::SeqCst) != asked;
            if newer() {
                return;
            }
            let _one_at_a_time = builder
                .building
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let last = builder.last.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(Last { site, rendered }) = last.as_ref().filter(|_| !newer())
                && let Err(err) = site.update_site_files(rendered, &builder.out, &newer)
            {
                eprintln!("warning: writing the print page and search index: {err:#}");
            }
        });
    }

    /// Tells the live runner a good build is served.
    fn tell_after(&self) {
        let after = self.after.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(sender) = after.as_ref() {
            // A stopped runner is fine: the site is still served.
            let _ = sender.send(());
        }
    }

    fn rebuild_locked(&self, state: &State) {
        let started = Instant::now();
        *self.last.lock().unwrap_or_else(PoisonError::into_inner) = None;
        match self.build_staging() {
            Ok((Built::Site(_), kept)) => match self.swap_in(state) {
                Ok(()) => {
                    *self.last.lock().unwrap_or_else(PoisonError::into_inner) = Some(kept);
                    eprintln!("built in {} ms", started.elapsed().as_millis());
                    state.succeeded();
                    self.tell_after();
                }
                Err(err) => report(state, &err),
            },
            Ok((Built::BrokenLinks(links), _)) => {
                let mut text = format!("{} broken link(s):", links.len());
                for link in &links {
                    eprintln!("{link}");
                    text.push('\n');
                    text.push_str(link);
                }
                eprintln!(
                    "error: {} broken link(s); {} was not changed",
                    links.len(),
                    self.out.display()
                );
                state.failed(text);
            }
            Err(err) => report(state, &err),
        }
    }

    /// `Site::build` into the staging folder, with the live run's marks (else the report's)
    /// and unchanged pages from the render cache.
    fn build_staging(&self) -> anyhow::Result<(Built, Last)> {
        remove_if_present(&self.staging)?;
        let marks = match self.live.current() {
            Some(marks) => marks,
            None => Marks::load(&self.report)?,
        };
        let site = Site::load(&self.root)?.with_verification(marks);
        let (built, rendered) = site.build_keeping(&self.staging, Some(&self.cache))?;
        Ok((built, Last { site, rendered }))
    }

    /// Replaces the served folder by the staging folder while no request is reading.
    fn swap_in(&self, state: &State) -> anyhow::Result<()> {
        static SWAPS: AtomicU64 = AtomicU64::new(0);
        let trash = self.out.with_file_name(format!(
            ".{}.old-{}-{}",
            self.out.file_name().unwrap_or_default().to_string_lossy(),
            std::process::id(),
            SWAPS.fetch_add(1, Ordering::Relaxed)
        ));
        remove_if_present(&trash)?;
        let mut site = state.site.blocking_write();
        let had_old = self.out.exists();
        if had_old {
            std::fs::rename(&self.out, &trash)
                .with_context(|| format!("moving {} aside", self.out.display()))?;
        }
        std::fs::rename(&self.staging, &self.out)
            .with_context(|| format!("moving the new build to {}", self.out.display()))?;
        site.ready = true;
        drop(site);
        if had_old {
            std::thread::spawn(move || std::fs::remove_dir_all(trash));
        }
        Ok(())
    }
}

fn remove_if_present(dir: &Path) -> anyhow::Result<()> {
    match std::fs::remove_dir_all(dir) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
            Err(err).with_context(|| format!("removing {}", dir.display()))
        }
        _ => Ok(()),
    }
}

/// Prints the error as `main` would, and hands the same text to open pages.
fn report(state: &State, err: &anyhow::Error) {
    eprintln!("error: {err:#}");
    state.failed(overlay_text(err));
}

/// The cause chain, one cause a line: easier to read in the overlay than one long line.
pub(crate) fn overlay_text(err: &anyhow::Error) -> String {
    let mut text = err.to_string();
    for cause in err.chain().skip(1) {
        text.push_str("\n  caused by: ");
        text.push_str(&cause.to_string());
    }
    text
}
