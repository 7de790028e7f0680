//! Integration tests of the writing workflows (docs/ci.md): the CI formats of `check`
//! (`line`, `github`, `junit`, `sarif`), the project config (`.rubric/config.toml`), folders,
//! `--print-config`, `--watch`, the language server, shell completions and the man page, and
//! the pre-commit hook (run only with `RUBRIC_PRECOMMIT_TESTS=1` or `rust`, as `.ci/run` sets it).
//!
//! Fixtures are in `tests/fixtures/workflows/`, including the vendored SARIF 2.1.0 schema.

#[path = "workflows/common.rs"]
mod common;
#[path = "workflows/completions.rs"]
mod completions;
#[path = "workflows/formats.rs"]
mod formats;
#[path = "workflows/lsp.rs"]
mod lsp;
#[path = "support/lsp.rs"]
mod lsp_support;
#[path = "workflows/precommit.rs"]
mod precommit;
#[path = "workflows/project.rs"]
mod project;
#[path = "workflows/watch.rs"]
mod watch;
