//! `kura sandbox`.

use crate::Global;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Port on 127.0.0.1.
    #[arg(long, default_value_t = 7878)]
    pub port: u16,
}

pub async fn run(args: Args, _global: &Global) -> anyhow::Result<()> {
    let config = kura_sandbox::SandboxConfig {
        addr: ([127, 0, 0, 1], args.port).into(),
        ..Default::default()
    };
    let sandbox = kura_sandbox::start(config).await?;
    println!("Sandbox Open API on {}", sandbox.base_url);
    tokio::signal::ctrl_c().await?;
    sandbox.shutdown().await;
    Ok(())
}
