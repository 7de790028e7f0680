/// jemalloc rather than the system allocator, on Linux: marking an answer makes a dozen small
/// allocations, on every thread at once, and `rubric mark` ran 7-9% faster with it, with a
/// lower peak of memory (bench/results.md, session 14). Elsewhere the system's allocator.
#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    std::process::exit(rubric::run());
}
