//! The mock Git remote: a smart-HTTP Git server on loopback that answers like Bitbucket Cloud.
//!
//! (Skeleton: the remote work fills this in. The API the snippet harness relies on:)
//!
//! ```ignore
//! let remote = MockRemote::builder()
//!     .scenario(scenario)          // remote::Scenario, from helpsite.toml [remote] or the default
//!     .profile(Profile::Bitbucket) // host profile
//!     .as_of(date)                 // jiff::civil::Date; default today
//!     .start()?;                   // binds 127.0.0.1:0, serves on background threads
//! remote.url();                    // "http://127.0.0.1:PORT/" — stopped when `remote` drops
//! remote.secrets();                // Vec<(ENV_NAME, value)> for the sandbox environment
//! ```
