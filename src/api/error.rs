//! The API's error answers: an HTTP status and a message, sent as
//! `{"error":{"status":…,"message":…}}`. Every bad request maps to one of these; nothing panics.

use serde::Serialize;

/// A request the API refuses, with the 4xx status that says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub message: String,
}

impl ApiError {
    /// 400: a malformed parameter.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, message)
    }

    /// 404: no such account, topic, network or path.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, message)
    }

    /// 405: the API is read-only (GET and HEAD only).
    pub fn method_not_allowed(method: &str) -> Self {
        Self::new(
            405,
            format!("method {method} not allowed: the API is read-only (GET, HEAD)"),
        )
    }

    /// 414: the request target is longer than the API accepts.
    pub fn uri_too_long(len: usize, max: usize) -> Self {
        Self::new(
            414,
            format!("request target of {len} bytes is longer than {max}"),
        )
    }

    fn new(status: u16, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    /// The JSON body.
    pub fn to_json(&self) -> Vec<u8> {
        #[derive(Serialize)]
        struct Inner<'a> {
            status: u16,
            message: &'a str,
        }
        #[derive(Serialize)]
        struct Outer<'a> {
            error: Inner<'a>,
        }
        let body = Outer {
            error: Inner {
                status: self.status,
                message: &self.message,
            },
        };
        serde_json::to_vec(&body).expect("an error body always serialises")
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_is_the_documented_json_and_escapes_the_message() {
        let e = ApiError::not_found("unknown account \"a\"");
        let v: serde_json::Value = serde_json::from_slice(&e.to_json()).unwrap();
        assert_eq!(v["error"]["status"], 404);
        assert_eq!(v["error"]["message"], "unknown account \"a\"");
    }
}
