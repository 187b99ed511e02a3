//! `--tls`: a throwaway certificate authority and a leaf certificate for the loopback names,
//! generated at every start. The CA certificate is written out so a client can trust exactly this
//! sandbox instead of switching verification off.

use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot generate the sandbox's TLS certificates: {0}")]
    Generate(#[from] rcgen::Error),
    #[error(
        "cannot write the sandbox CA certificate to {path}: {source} (check that the folder exists and is writable)"
    )]
    WriteCa { path: PathBuf, source: std::io::Error },
    #[error("cannot load the generated TLS certificate: {0}")]
    Load(std::io::Error),
}

/// PEM-encoded server material.
pub struct Generated {
    pub ca_pem: String,
    /// Leaf followed by the CA, as a server presents its chain.
    pub chain_pem: String,
    pub key_pem: String,
}

/// Names the leaf certificate is valid for.
pub const LEAF_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

pub fn generate() -> Result<Generated, TlsError> {
    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    let mut ca_name = DistinguishedName::new();
    ca_name.push(DnType::CommonName, "Kura sandbox CA (generated at start)");
    ca_name.push(DnType::OrganizationName, "Kura sandbox");
    ca_params.distinguished_name = ca_name;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca_params.key_usages =
        vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate()?)?;

    let mut leaf_params = CertificateParams::new(LEAF_NAMES.map(str::to_owned).to_vec())?;
    leaf_params.distinguished_name.push(DnType::CommonName, "localhost");
    leaf_params.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyEncipherment];
    leaf_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let leaf_key = KeyPair::generate()?;
    let leaf = leaf_params.signed_by(&leaf_key, &ca)?;
    let ca_pem = ca.pem();
    Ok(Generated { chain_pem: format!("{}{}", leaf.pem(), ca_pem), ca_pem, key_pem: leaf_key.serialize_pem() })
}

pub fn write_ca(generated: &Generated, path: &Path) -> Result<(), TlsError> {
    std::fs::write(path, &generated.ca_pem).map_err(|source| TlsError::WriteCa { path: path.to_owned(), source })
}

pub async fn rustls_config(generated: &Generated) -> Result<axum_server::tls_rustls::RustlsConfig, TlsError> {
    axum_server::tls_rustls::RustlsConfig::from_pem(
        generated.chain_pem.clone().into_bytes(),
        generated.key_pem.clone().into_bytes(),
    )
    .await
    .map_err(TlsError::Load)
}
