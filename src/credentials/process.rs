//! `credential_process`: runs the profile's command and reads its JSON.

use std::process::{Command, Stdio};

use super::Credentials;
use super::json::{self, Kind};

/// Runs `command` through the shell, as the AWS SDKs do, and parses its output.
pub(crate) fn run(command: &str) -> Result<Credentials, String> {
    let mut shell = if cfg!(windows) {
        Command::new("cmd")
    } else {
        Command::new("sh")
    };
    shell
        .arg(if cfg!(windows) { "/C" } else { "-c" })
        .arg(command);
    let output = shell
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("credential_process could not start: {e}"))?;
    if !output.status.success() {
        // Stderr is the tool's own message; stdout may hold secrets.
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stderr: String = stderr.trim().chars().take(300).collect();
        return Err(format!(
            "credential_process failed ({}): {stderr}",
            output.status
        ));
    }
    let stdout = String::from_utf8(output.stdout)
        .map_err(|_| "credential_process printed non-UTF-8 output".to_owned())?;
    json::parse(&stdout, Kind::Process).map_err(|e| format!("credential_process output: {e}"))
}
