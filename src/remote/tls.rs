//! TLS for the proxy mode: at every start a fresh CA (rcgen, ring, ECDSA P-256) and one leaf
//! certificate for the profile hosts (bitbucket.org, github.com, gitlab.com) signed by it, and a
//! rustls acceptor serving that leaf over HTTP/1.1. The CA's PEM is what clients trust
//! (`GIT_SSL_CAINFO`); its key never leaves memory.

use std::sync::Arc;

use anyhow::Context as _;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, date_time_ymd,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;

/// The per-start CA and the acceptor for tunnelled connections.
pub(crate) struct Tls {
    /// PEM of the CA certificate.
    pub ca_pem: String,
    pub acceptor: TlsAcceptor,
}

/// Generates the CA, the leaf for `hosts`, and the rustls server configuration.
pub(crate) fn generate(hosts: &[&str]) -> anyhow::Result<Tls> {
    let ca = ca().context("generating the mock's CA")?;
    let leaf_key = KeyPair::generate().context("generating the leaf key")?;
    let mut params =
        CertificateParams::new(hosts.iter().map(|h| h.to_string()).collect::<Vec<_>>())
            .context("leaf certificate parameters")?;
    params.distinguished_name = name(hosts.first().copied().unwrap_or("localhost"));
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.not_before = date_time_ymd(2025, 1, 1);
    params.not_after = date_time_ymd(2035, 1, 1);
    let leaf = params
        .signed_by(&leaf_key, &ca)
        .context("signing the leaf certificate")?;
    let chain: Vec<CertificateDer<'static>> = vec![leaf.der().clone(), ca.der().clone()];
    let key = PrivateKeyDer::from(leaf_key);
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("TLS protocol versions")?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .context("TLS server certificate")?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Tls {
        ca_pem: ca.pem(),
        acceptor: TlsAcceptor::from(Arc::new(config)),
    })
}

fn ca() -> anyhow::Result<CertifiedIssuer<'static, KeyPair>> {
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    params.distinguished_name = name("helpsite mock remote CA (made up, per start)");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.not_before = date_time_ymd(2025, 1, 1);
    params.not_after = date_time_ymd(2035, 1, 1);
    Ok(CertifiedIssuer::self_signed(params, KeyPair::generate()?)?)
}

fn name(common_name: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, common_name);
    dn
}
