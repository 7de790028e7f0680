fn main() {
    let en = rubric::text::lang::Language::english();
    for w in std::env::args().skip(1) {
        println!("{w} -> {}", en.stem(&w));
    }
}
