//! Writing an export to a file so that a failed export never leaves a half-written file behind.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use super::ExportError;
use super::model::{ExportInput, ExportOptions, ExportRow, ExportSummary};

/// Runs `write` against a temporary file beside `path` and renames it onto `path` only when `write`
/// succeeded; on failure the temporary file is removed and `path` is untouched.
pub fn write_atomically<T>(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<T, ExportError>,
) -> Result<T, ExportError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = tempfile::Builder::new().prefix(".kura-export-").suffix(".part").tempfile_in(dir)?;
    let (file, tmp_path) = tmp.into_parts();
    let mut out = BufWriter::new(file);
    let value = write(&mut out)?;
    let file = out.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    drop(file);
    tmp_path.persist(path).map_err(|e| e.error)?;
    Ok(value)
}

/// [`super::export`] into the file at `path`, atomically.
pub fn export_to_path<I>(
    input: ExportInput<I>,
    options: &ExportOptions,
    path: &Path,
) -> Result<ExportSummary, ExportError>
where
    I: Iterator<Item = Result<ExportRow, ExportError>>,
{
    write_atomically(path, |out| {
        let summary = super::export(input, options, &mut *out)?;
        out.flush()?;
        Ok(summary)
    })
}
