//! Starting a session's shell: `bash --noprofile --norc` inside the chain's namespaces (bwrap,
//! the bridge's init and the host half of its network bridge), or with `--no-sandbox` in its own
//! process group on the host.

use std::io;
use std::process::Command;

use crate::harness::sandbox::{Isolation, Sandbox};

/// The command that starts the shell: bwrap + init + bash, or bash in its own process group.
pub(super) fn shell_command(
    sandbox: &Sandbox,
    limits: crate::harness::bridge::Limits,
) -> io::Result<(Command, Option<crate::harness::bridge::HostBridge>)> {
    use std::os::unix::process::CommandExt as _;
    let bash = crate::harness::programs::bash();
    let shell = vec![
        bash.display().to_string(),
        "--noprofile".into(),
        "--norc".into(),
    ];
    if sandbox.options.isolation == Isolation::EnvOnly {
        let mut cmd = Command::new(&shell[0]);
        cmd.arg0("bash").args(&shell[1..]).process_group(0);
        return Ok((cmd, None));
    }
    let tools = crate::harness::jail::probe().map_err(io::Error::other)?;
    let net = sandbox.net_dir();
    let bridge = crate::harness::bridge::HostBridge::start(&net, &sandbox.ports)?;
    let program = crate::harness::bridge::init_args(&net, limits, &sandbox.ports, &shell);
    let mut init = vec![crate::harness::jail::INIT_PATH.to_string()];
    init.extend(program);
    let read_only = [sandbox.programs.clone(), sandbox.harness.join("etc"), net];
    let layout = crate::harness::jail::Layout {
        root: &sandbox.root,
        read_only: &read_only,
        etc: &sandbox.harness.join("etc"),
        site: sandbox.options.site.as_deref(),
        work: &sandbox.work,
    };
    let mut cmd = crate::harness::jail::command(tools, &layout, &init);
    cmd.process_group(0);
    Ok((cmd, Some(bridge)))
}
