//! sshexplain: why did this SSH connection fail, and what to do about it.
//!
//! The library reads the output of the OpenSSH client (`ssh -v`, with or
//! without `-v`, pasted, piped, wrapped in other tools' output) and explains
//! the failure it shows, citing the input lines that prove it.
//!
//! ```text
//! bytes ──► input ──► grammar ──► trace ──► diagnose ──► report ──► render
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod event;
pub mod grammar;
pub mod input;
