//! Prints the OpenAPI document of the HTTP API (the exact bytes of `openapi/openapi.json`).
//! `scripts/gen.sh` runs it: `cargo run -q -p tollgate --example openapi > openapi/openapi.json`.

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    match tollgate::api::http::openapi::json() {
        Ok(text) => match std::io::stdout().write_all(text.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("cannot write the document: {err}");
                ExitCode::FAILURE
            }
        },
        Err(err) => {
            eprintln!("cannot build the OpenAPI document: {err}");
            ExitCode::FAILURE
        }
    }
}
