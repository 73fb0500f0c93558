//! The CGI head http-backend writes before the body: read from its stdout up to the blank line
//! (bounded in size and line count), then turned into the response's status and headers.

use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt as _;
use hyper::{Response, StatusCode};
use tokio::io::AsyncReadExt as _;
use tokio::process::ChildStdout;

use super::{Body, CgiError};

/// Largest CGI header block accepted from http-backend.
const MAX_CGI_HEAD: usize = 64 * 1024;

/// Reads stdout up to and including the blank line ending the CGI headers.
pub(super) async fn read_head(stdout: &mut ChildStdout) -> Result<BytesMut, CgiError> {
    let mut buf = BytesMut::with_capacity(8192);
    loop {
        let mut headers = [httparse::EMPTY_HEADER; MAX_CGI_HEADERS];
        match httparse::parse_headers(&buf, &mut headers) {
            Ok(httparse::Status::Complete(_)) => return Ok(buf),
            Ok(httparse::Status::Partial) => {}
            Err(_) => return Err(CgiError::BadHead),
        }
        if buf.len() > MAX_CGI_HEAD || stdout.read_buf(&mut buf).await? == 0 {
            return Err(CgiError::BadHead);
        }
    }
}

/// Most header lines a CGI head may have (http-backend sends about five).
const MAX_CGI_HEADERS: usize = 64;

/// Splits the CGI header block (parsed by httparse; CRLF or bare LF line ends) into a response
/// (the `Status:` header's code, else 200; the other headers) and the body bytes after it.
pub(super) fn parse_head(mut buf: BytesMut) -> Result<(Response<Body>, Bytes), CgiError> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_CGI_HEADERS];
    let (len, parsed) = match httparse::parse_headers(&buf, &mut headers) {
        Ok(httparse::Status::Complete(done)) => done,
        _ => return Err(CgiError::BadHead),
    };
    let mut response = Response::new(http_body_util::Empty::new().map_err(|n| match n {}).boxed());
    for header in parsed.iter() {
        let value = std::str::from_utf8(header.value)
            .map_err(|_| CgiError::BadHead)?
            .trim();
        if header.name.eq_ignore_ascii_case("status") {
            let code = value
                .split_whitespace()
                .next()
                .and_then(|c| c.parse::<u16>().ok());
            *response.status_mut() = code
                .and_then(|c| StatusCode::from_u16(c).ok())
                .ok_or(CgiError::BadHead)?;
        } else if let (Ok(n), Ok(v)) = (
            hyper::header::HeaderName::from_bytes(header.name.as_bytes()),
            hyper::header::HeaderValue::from_str(value),
        ) {
            response.headers_mut().append(n, v);
        }
    }
    let rest = buf.split_off(len).freeze();
    Ok((response, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_anywhere_in_the_head() {
        let head = BytesMut::from(
            &b"Expires: x\r\nStatus: 403 Forbidden\r\nPragma: no-cache\r\n\r\nbody"[..],
        );
        let (resp, rest) = parse_head(head).unwrap();
        assert_eq!(resp.status(), 403);
        assert_eq!(resp.headers()["pragma"], "no-cache");
        assert_eq!(&rest[..], b"body");
    }

    #[test]
    fn no_status_means_200_and_lf_only_heads_parse() {
        let (resp, rest) =
            parse_head(BytesMut::from(&b"Content-Type: text/plain\n\nhi"[..])).unwrap();
        assert_eq!(resp.status(), 200);
        assert_eq!(&rest[..], b"hi");
        assert!(parse_head(BytesMut::from(&b"garbage\r\n\r\n"[..])).is_err());
    }
}
