//! Build script of the core: turns the failure rules (`failure-kinds.toml`, written for people)
//! into compact JSON for the page, so the WASM carries neither the file's comments nor a TOML
//! parser. A rules file that is not valid TOML fails the build here, with the parser's message.

const RULES: &str = "failure-kinds.toml";

fn main() {
    println!("cargo:rerun-if-changed={RULES}");
    let text = std::fs::read_to_string(RULES).unwrap_or_else(|e| panic!("{RULES}: {e}"));
    let value: serde_json::Value = toml::from_str(&text).unwrap_or_else(|e| panic!("{RULES}: {e}"));
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let json = serde_json::to_string(&value).expect("TOML values are JSON values");
    std::fs::write(out.join("failure-kinds.json"), json).expect("OUT_DIR is writable");
}
