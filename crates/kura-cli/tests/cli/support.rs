//! The `kura` binary as the tests run it: a command in a given data folder and language, and
//! `kura serve` for the tests that talk to it over HTTP.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Output, Stdio};

/// `kura ARGS` with the store in `dir`/data, a config home of its own and the terminal's
/// language `lang` (a locale: `ja_JP.UTF-8`, `C.UTF-8`).
pub fn kura_in(dir: &Path, lang: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kura"))
        .args(args)
        .env("KURA_DATA_DIR", dir.join("data"))
        .env("KURA_CONFIG_DIR", dir.join("config"))
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang)
        .output()
        .unwrap()
}

/// What `kura ARGS` printed, in Japanese; it must have succeeded.
pub fn kura(dir: &Path, args: &[&str]) -> String {
    ok(kura_in(dir, "ja_JP.UTF-8", args), args)
}

pub fn ok(out: Output, args: &[&str]) -> String {
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The failure's message (in Japanese); the command must have failed.
pub fn kura_err(dir: &Path, args: &[&str]) -> String {
    let out = kura_in(dir, "ja_JP.UTF-8", args);
    assert!(!out.status.success(), "{args:?} succeeded: {}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8(out.stderr).unwrap()
}

pub fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&kura(dir, args)).unwrap()
}

/// `kura serve` on a free port, stopped when dropped.
pub struct Server {
    child: Child,
    /// Kept open: `kura serve` prints more after the address, and a closed pipe would stop it.
    _stdout: BufReader<ChildStdout>,
    pub port: u16,
    pub token: String,
}

impl Server {
    /// With its data in `dir/data` (given, as `--data-dir` does) and its config in `dir/config`.
    pub fn start(dir: &Path) -> Server {
        Server::spawn(|cmd| cmd.env("KURA_DATA_DIR", dir.join("data")).env("KURA_CONFIG_DIR", dir.join("config")))
    }

    /// As a desktop user runs it: no data folder given, so the platform's (under `dir/xdg`) or
    /// the one the data was moved to; the config in `dir/config`.
    pub fn start_in_home(dir: &Path) -> Server {
        Server::spawn(|cmd| {
            cmd.env_remove("KURA_DATA_DIR")
                .env("XDG_DATA_HOME", dir.join("xdg"))
                .env("KURA_CONFIG_DIR", dir.join("config"))
        })
    }

    fn spawn(configure: impl FnOnce(&mut Command) -> &mut Command) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kura"));
        configure(cmd.args(["serve"]).stdout(Stdio::piped()).stderr(Stdio::null()));
        let mut child = cmd.spawn().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        // "Kura is ready at http://127.0.0.1:PORT/#token=TOKEN"
        let rest = line.trim().split_once("http://127.0.0.1:").unwrap_or_else(|| panic!("{line}")).1;
        let (port, token) = rest.split_once("/#token=").unwrap();
        Server { child, _stdout: stdout, port: port.parse().unwrap(), token: token.to_owned() }
    }

    /// One HTTP/1.1 request; the status, the headers (lower-cased names) and the body.
    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String, Vec<u8>) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.port,
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        stream.write_all(format!("{head}\r\n{body}").as_bytes()).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let split = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&response[..split]).to_lowercase();
        let status = head[9..12].parse().unwrap();
        let mut body = response[split + 4..].to_vec();
        if head.contains("transfer-encoding: chunked") {
            body = dechunk(&body);
        }
        (status, head, body)
    }

    /// `POST /api/PATH` with the session token, as the UI calls it: the status and the JSON answer.
    pub fn api(&self, path: &str, request: &str) -> (u16, serde_json::Value) {
        let (status, _, body) = self.request(
            "POST",
            &format!("/api/{path}"),
            &[("X-Kura-Token", &self.token), ("Content-Type", "application/json")],
            request,
        );
        (status, serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let end = body.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(std::str::from_utf8(&body[..end]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[end + 2..end + 2 + size]);
        body = &body[end + 2 + size + 2..];
    }
}
