//! Just enough of the W3C WebDriver protocol to drive the Kura window through tauri-driver.

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

fn client() -> reqwest::blocking::Client {
    // Creating the session starts the app, which takes a while on a cold machine.
    reqwest::blocking::Client::builder().timeout(Duration::from_secs(120)).build().unwrap()
}

/// Whether the WebDriver server at `base` answers.
pub fn is_up(base: &str) -> bool {
    client().get(format!("{base}/status")).send().is_ok_and(|r| r.status().is_success())
}

pub struct Session {
    http: reqwest::blocking::Client,
    url: String,
}

/// The `value` of a WebDriver answer; a WebDriver error fails the test with its message.
fn value(response: reqwest::blocking::Response) -> Value {
    let status = response.status();
    let body: Value = response.json().expect("WebDriver answered with something that is not JSON");
    assert!(status.is_success(), "WebDriver error {status}: {body}");
    body["value"].clone()
}

impl Session {
    /// Starts `application` in a new session.
    pub fn start(base: &str, application: &Path) -> Session {
        let http = client();
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "wry",
            "tauri:options": { "application": application }
        }}});
        let v = value(http.post(format!("{base}/session")).json(&caps).send().unwrap());
        let id = v["sessionId"].as_str().expect("no session id").to_owned();
        Session { http, url: format!("{base}/session/{id}") }
    }

    fn post(&self, path: &str, body: Value) -> Value {
        value(self.http.post(format!("{}/{path}", self.url)).json(&body).send().unwrap())
    }

    pub fn execute(&self, script: &str, args: Value) -> Value {
        self.post("execute/sync", json!({ "script": script, "args": args }))
    }

    /// Runs `script`, which answers by calling its last argument.
    pub fn execute_async(&self, script: &str, args: Value) -> Value {
        self.post("execute/async", json!({ "script": script, "args": args }))
    }

    /// The element for an XPath, if there is one now.
    pub fn find_xpath(&self, xpath: &str) -> Option<String> {
        let r = self
            .http
            .post(format!("{}/element", self.url))
            .json(&json!({ "using": "xpath", "value": xpath }))
            .send()
            .unwrap();
        if r.status().as_u16() == 404 {
            return None;
        }
        let v = value(r);
        v.as_object().and_then(|o| o.values().next()).and_then(Value::as_str).map(str::to_owned)
    }

    pub fn click(&self, element: &str) {
        self.post(&format!("element/{element}/click"), json!({}));
    }

    /// The visible text of the page.
    pub fn body_text(&self) -> String {
        self.execute("return document.body.innerText", json!([])).as_str().unwrap_or_default().to_owned()
    }

    /// Ends the session, which closes the app.
    pub fn end(self) {
        let _ = self.http.delete(&self.url).send();
    }
}
