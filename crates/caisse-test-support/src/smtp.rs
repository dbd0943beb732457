//! A minimal SMTP server for tests: accepts every message, records it, and can answer slowly.
//!
//! It speaks just enough of RFC 5321 for an SMTP client without TLS or authentication (EHLO,
//! MAIL, RCPT, DATA, RSET, NOOP, QUIT). Messages are recorded when their data ends, before the
//! `250` reply: a client that dies while waiting for the reply has still delivered the message,
//! which is exactly the case at-least-once delivery must handle.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A message as the server received it.
#[derive(Clone, Debug)]
pub struct ReceivedMail {
    /// Envelope recipients.
    pub recipients: Vec<String>,
    /// The `Subject:` header.
    pub subject: String,
    /// The whole message (headers and body), dot-unstuffed.
    pub data: String,
}

/// A running sink.
#[derive(Clone)]
pub struct SmtpSink {
    /// Port on 127.0.0.1.
    pub port: u16,
    received: Arc<Mutex<Vec<ReceivedMail>>>,
}

impl SmtpSink {
    /// Starts a sink that waits `accept_delay` before acknowledging each message.
    ///
    /// # Panics
    /// When no local port can be bound.
    pub fn start(accept_delay: Duration) -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind SMTP sink");
        let port = listener.local_addr().expect("local address").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let shared = received.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = shared.clone();
                std::thread::spawn(move || {
                    let _ = serve(stream, &shared, accept_delay);
                });
            }
        });
        SmtpSink { port, received }
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<ReceivedMail> {
        self.received
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

fn serve(
    stream: TcpStream,
    received: &Mutex<Vec<ReceivedMail>>,
    delay: Duration,
) -> std::io::Result<()> {
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    writer.write_all(b"220 sink.test ESMTP\r\n")?;
    let mut recipients = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_ascii_uppercase();
        if command.starts_with("EHLO") || command.starts_with("HELO") {
            writer.write_all(b"250 sink.test\r\n")?;
        } else if command.starts_with("MAIL FROM")
            || command.starts_with("RSET")
            || command.starts_with("NOOP")
        {
            if command.starts_with("RSET") {
                recipients.clear();
            }
            writer.write_all(b"250 OK\r\n")?;
        } else if command.starts_with("RCPT TO") {
            let address = line.trim_end()[8..]
                .trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_owned();
            recipients.push(address);
            writer.write_all(b"250 OK\r\n")?;
        } else if command == "DATA" {
            writer.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")?;
            let mut data = String::new();
            loop {
                line.clear();
                if reader.read_line(&mut line)? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            let subject = data
                .lines()
                .find_map(|l| l.strip_prefix("Subject: "))
                .unwrap_or_default()
                .trim()
                .to_owned();
            received
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(ReceivedMail {
                    recipients: std::mem::take(&mut recipients),
                    subject,
                    data,
                });
            std::thread::sleep(delay);
            writer.write_all(b"250 OK queued\r\n")?;
        } else if command.starts_with("QUIT") {
            writer.write_all(b"221 Bye\r\n")?;
            return Ok(());
        } else {
            writer.write_all(b"502 Command not implemented\r\n")?;
        }
    }
}
