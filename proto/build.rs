//! Compiles `tollgate/v1/*.proto` with protox (pure Rust: no `protoc`, no network) into a
//! `FileDescriptorSet`, writes it to `OUT_DIR/tollgate_v1_descriptor.bin` (served by gRPC
//! reflection, imports included), and generates the messages, clients and servers of package
//! `tollgate.v1` with tonic-prost-build from that same set.

use std::env;
use std::error::Error;
use std::fs;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR")?);
    let out_dir = PathBuf::from(env::var("OUT_DIR")?);
    for dir in ["tollgate", "google"] {
        println!("cargo:rerun-if-changed={}", root.join(dir).display());
    }

    let mut protos = Vec::new();
    for entry in fs::read_dir(root.join("tollgate").join("v1"))? {
        let path = entry?.path();
        if path.extension().is_some_and(|ext| ext == "proto") {
            protos.push(path);
        }
    }
    protos.sort();

    let mut compiler = protox::Compiler::new([&root])?;
    compiler.include_imports(true).include_source_info(true);
    compiler.open_files(&protos)?;
    fs::write(
        out_dir.join("tollgate_v1_descriptor.bin"),
        compiler.encode_file_descriptor_set(),
    )?;

    // Code is included for `tollgate.v1` only; `google.protobuf` types map to `prost_types`.
    // prost-build still needs the well-known types our fields use (it inspects them), but not
    // `google.api` and `descriptor.proto`, which only define the HTTP method option.
    let mut fds = compiler.file_descriptor_set();
    fds.file.retain(|file| {
        file.package() != "google.api" && file.name() != "google/protobuf/descriptor.proto"
    });
    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        .compile_fds(fds)?;
    Ok(())
}
