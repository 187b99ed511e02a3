//! JSON Lines: one cached row per line, exactly as Kura stores it (camelCase, signed yen, ISO dates).

use std::io::Write;

use super::ExportError;
use super::driver::Sink;
use super::model::{ExportAccount, ExportRow};

pub(super) struct JsonlSink<W: Write> {
    out: W,
}

impl<W: Write> JsonlSink<W> {
    pub(super) fn new(out: W) -> Self {
        JsonlSink { out }
    }
}

impl<W: Write> Sink for JsonlSink<W> {
    fn row(&mut self, _: &ExportAccount, _: u64, row: &ExportRow) -> Result<(), ExportError> {
        serde_json::to_writer(&mut self.out, row)?;
        self.out.write_all(b"\n")?;
        Ok(())
    }

    fn finish(mut self) -> Result<(), ExportError> {
        self.out.flush()?;
        Ok(())
    }
}
