// The web UI in ui/dist is embedded into `kura` (see src/cmd/serve.rs): rebuild when it changes.
fn main() {
    println!("cargo:rerun-if-changed=../../ui/dist");
}
