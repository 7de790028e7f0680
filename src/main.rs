fn main() {
    std::process::exit(rubric::cli::run());
}
