//! `cargo test --test snippets`: one test per snippet of this repository's content/.
//! (Skeleton: the snippet work replaces this with the libtest-mimic harness.)

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    libtest_mimic::run(&args, Vec::new()).exit();
}
