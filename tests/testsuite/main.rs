//! The integration tests, one binary (as cargo's and mdBook's `tests/testsuite/`): each module
//! is one feature, driving the real `helpsite` binary or the library over small fixture sites.
//! Linking the library and its crates once instead of once per file is most of `cargo test`'s
//! build time. The `harness = false` binaries (snippets, html_validity, browser) stay apart.

mod remote_support;
mod serve_support;
mod support;

mod adopt_clash;
mod adopt_errors;
mod adopt_front_matter;
mod adopt_init;
mod adopt_links;
mod adopt_policy;
mod adopt_sources;
mod build_errors;
mod build_site;
mod cli_ux;
mod fuzz_inputs;
mod input_robustness;
mod remote_api;
mod remote_auth;
mod remote_cli;
mod remote_clients;
mod remote_clients_lfs;
mod remote_clients_python;
mod remote_faults;
mod remote_hardening;
mod remote_idle;
mod remote_limits;
mod remote_protocol;
mod remote_smoke;
mod remote_ssh;
mod sandbox_escapes;
mod sandbox_ssh;
mod search_features;
mod search_js;
mod serve_http;
mod serve_live_run;
mod serve_reload;
mod serve_verification;
mod snippet_cli;
mod snippet_threads;
mod verify_default;
