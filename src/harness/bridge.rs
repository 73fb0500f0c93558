//! The network bridge between a sandbox (a net namespace with loopback only) and the mock
//! remote on the host. Host side ([`HostBridge`]): for each bridged port a unix socket
//! `PORT.sock` in the sandbox's `.harness/net/`, each connection to it forwarded to
//! `127.0.0.1:PORT` on the host. Inside ([`init_main`], the hidden `helpsite __sandbox-init`
//! that bwrap starts): a listener on the namespace's own `127.0.0.1:PORT` for each port, each
//! connection forwarded to that unix socket; then the limits are set and the shell is started as
//! its child. So the mock's ports (HTTP proxy, SSH, …) are the only services a snippet reaches;
//! every other host loopback port is simply not there.

use std::{
    io,
    net::{Shutdown, TcpListener, TcpStream},
    os::unix::net::{UnixListener, UnixStream},
    path::{Path, PathBuf},
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
};

/// The hidden subcommand bwrap runs inside the sandbox.
pub const INIT_COMMAND: &str = "__sandbox-init";

/// The host half: unix sockets forwarding to host loopback ports; stopped on drop.
pub(crate) struct HostBridge {
    stop: Arc<AtomicBool>,
    sockets: Vec<PathBuf>,
}

impl HostBridge {
    /// Listens on `dir/PORT.sock` for each port.
    pub(crate) fn start(dir: &Path, ports: &[u16]) -> io::Result<HostBridge> {
        std::fs::create_dir_all(dir)?;
        let stop = Arc::new(AtomicBool::new(false));
        let mut sockets = Vec::new();
        for &port in ports {
            let path = dir.join(format!("{port}.sock"));
            let listener = UnixListener::bind(&path)?;
            sockets.push(path);
            let stop = stop.clone();
            std::thread::Builder::new()
                .name(format!("bridge-{port}"))
                .spawn(move || {
                    for conn in listener.incoming() {
                        if stop.load(Ordering::SeqCst) {
                            return;
                        }
                        if let Ok(conn) = conn
                            && let Ok(tcp) = TcpStream::connect(("127.0.0.1", port))
                        {
                            splice_unix_tcp(conn, tcp);
                        }
                    }
                })?;
        }
        Ok(HostBridge { stop, sockets })
    }
}

impl Drop for HostBridge {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        for socket in &self.sockets {
            let _ = UnixStream::connect(socket); // wakes the accept loop, which then ends
        }
    }
}

/// Copies both ways between a unix and a TCP stream until each side closes.
fn splice_unix_tcp(unix: UnixStream, tcp: TcpStream) {
    let _ = tcp.set_nodelay(true);
    let (Ok(unix2), Ok(tcp2)) = (unix.try_clone(), tcp.try_clone()) else {
        return;
    };
    let _ = std::thread::Builder::new().spawn(move || {
        let (mut from, mut to) = (unix, tcp);
        let _ = io::copy(&mut from, &mut to);
        let _ = to.shutdown(Shutdown::Write);
    });
    let _ = std::thread::Builder::new().spawn(move || {
        let (mut from, mut to) = (tcp2, unix2);
        let _ = io::copy(&mut from, &mut to);
        let _ = to.shutdown(Shutdown::Write);
    });
}

/// Resource limits the init sets on itself before starting the shell (inherited by everything).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// Processes (and threads) of the sandbox user.
    pub processes: u64,
    /// Largest file a process may write, bytes.
    pub file_size: u64,
    /// Open file descriptors per process.
    pub open_files: u64,
    /// CPU seconds per process.
    pub cpu_seconds: u64,
}

impl Limits {
    /// The limits a chain runs under; its CPU seconds are then set from its snippets' timeouts.
    pub(crate) const DEFAULT: Limits = Limits {
        processes: 512,
        file_size: 256 << 20,
        open_files: 1024,
        cpu_seconds: 300,
    };

    fn args(&self) -> String {
        format!(
            "{},{},{},{}",
            self.processes, self.file_size, self.open_files, self.cpu_seconds
        )
    }

    fn parse(text: &str) -> Option<Limits> {
        let v: Vec<u64> = text
            .split(',')
            .map(|n| n.parse().ok())
            .collect::<Option<_>>()?;
        match v[..] {
            [processes, file_size, open_files, cpu_seconds] => Some(Limits {
                processes,
                file_size,
                open_files,
                cpu_seconds,
            }),
            _ => None,
        }
    }

    fn apply(&self) -> io::Result<()> {
        use rustix::process::{Resource, Rlimit, setrlimit};
        let set = |resource, n: u64| {
            setrlimit(
                resource,
                Rlimit {
                    current: Some(n),
                    maximum: Some(n),
                },
            )
        };
        set(Resource::Nproc, self.processes)?;
        set(Resource::Fsize, self.file_size)?;
        set(Resource::Nofile, self.open_files)?;
        set(Resource::Cpu, self.cpu_seconds)?;
        set(Resource::Core, 0)?;
        Ok(())
    }
}

/// The init's command line: `__sandbox-init NET_DIR LIMITS PORT,… -- PROGRAM ARGS…`.
pub(crate) fn init_args(
    net_dir: &Path,
    limits: Limits,
    ports: &[u16],
    program: &[String],
) -> Vec<String> {
    let ports: Vec<String> = ports.iter().map(u16::to_string).collect();
    let mut args = vec![
        INIT_COMMAND.to_string(),
        net_dir.display().to_string(),
        limits.args(),
        ports.join(","),
        "--".into(),
    ];
    args.extend(program.iter().cloned());
    args
}

/// The init inside the sandbox (argv after the subcommand): bridges the ports, sets the limits,
/// runs the program and returns its exit status (128 + signal when killed).
pub fn init_main(args: &[String]) -> i32 {
    match init(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("helpsite sandbox init: {e}");
            125
        }
    }
}

fn init(args: &[String]) -> io::Result<i32> {
    let bad = || io::Error::other("usage: __sandbox-init NET_DIR LIMITS PORTS -- PROGRAM…");
    let [net_dir, limits, ports, dashes, program @ ..] = args else {
        return Err(bad());
    };
    if dashes != "--" || program.is_empty() {
        return Err(bad());
    }
    let limits = Limits::parse(limits).ok_or_else(bad)?;
    let net_dir = PathBuf::from(net_dir);
    for port in ports.split(',').filter(|p| !p.is_empty()) {
        let port: u16 = port.parse().map_err(|_| bad())?;
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let socket = net_dir.join(format!("{port}.sock"));
        std::thread::Builder::new().spawn(move || {
            for conn in listener.incoming().map_while(Result::ok) {
                if let Ok(unix) = UnixStream::connect(&socket) {
                    splice_unix_tcp(unix, conn);
                }
            }
        })?;
    }
    limits.apply()?;
    use std::os::unix::process::{CommandExt as _, ExitStatusExt as _};
    let name = Path::new(&program[0]).file_name().unwrap_or_default();
    let status = std::process::Command::new(&program[0])
        .arg0(name)
        .args(&program[1..])
        .status()?;
    Ok(status
        .code()
        .unwrap_or_else(|| 128 + status.signal().unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_round_trip_through_the_command_line() {
        let args = init_args(
            Path::new("/x/net"),
            Limits::DEFAULT,
            &[80, 22],
            &["/bin/bash".into()],
        );
        assert_eq!(args[1..4], ["/x/net", "512,268435456,1024,300", "80,22"]);
        assert_eq!(Limits::parse(&args[2]), Some(Limits::DEFAULT));
        assert_eq!(Limits::parse("1,2"), None);
        assert_eq!(init_main(&["x".into()]), 125);
    }

    #[test]
    fn host_bridge_forwards_to_a_loopback_port() {
        use std::io::{Read as _, Write as _};
        let server = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = server.local_addr().unwrap().port();
        std::thread::spawn(move || {
            let (mut s, _) = server.accept().unwrap();
            s.write_all(b"hello").unwrap();
        });
        let dir = tempfile::tempdir().unwrap();
        let _bridge = HostBridge::start(dir.path(), &[port]).unwrap();
        let mut c = UnixStream::connect(dir.path().join(format!("{port}.sock"))).unwrap();
        let mut got = String::new();
        c.read_to_string(&mut got).unwrap();
        assert_eq!(got, "hello");
    }
}
