//! Issue 16: hostile cases (ci_formats). Filled in by the fix that lands with them.
#[allow(unused_imports)]
use super::*;
